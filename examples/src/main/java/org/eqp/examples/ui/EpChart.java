package org.eqp.examples.ui;

/**
 * The charts of EP's page in the training UI ({@link EpChartsModule}), and the keys their values have in an
 * {@link EpStatsReport}: {@code id/series}.
 */
public enum EpChart {
    /** The RMS EP correction of each adjacent layer pair per batch (Gammell et al. 2021, figure 3). */
    RMS("rms", "RMS EP correction per layer pair", "batch", true, true),
    /** Population std-dev of log10 of the layer pairs' mean RMS correction, over training so far. */
    LOG_SPREAD("log-spread", "log-spread of the layer pairs' mean RMS correction", "batch", false, true),
    /** RMS |ds/dt| of the last free-phase step (0 at an exact equilibrium). */
    RESIDUAL("residual", "relaxation residual (RMS |ds/dt|, last free step)", "batch", true, true),
    /** Fraction of each layer's units at 0 and at 1 of the hard sigmoid at the free equilibrium. */
    SATURATION("saturation", "units saturated at the free equilibrium (%)", "batch", false, true),
    /** Online training error, end-of-epoch training error and test error per epoch. */
    ERRORS("errors", "error per epoch", "epoch", false, false);

    private final String id;
    private final String title;
    private final String xLabel;
    private final boolean logScale;
    private final boolean perBatch;

    EpChart(String id, String title, String xLabel, boolean logScale, boolean perBatch) {
        this.id = id;
        this.title = title;
        this.xLabel = xLabel;
        this.logScale = logScale;
        this.perBatch = perBatch;
    }

    public String id() {
        return id;
    }

    public String title() {
        return title;
    }

    public String xLabel() {
        return xLabel;
    }

    /** Whether the y axis is logarithmic. */
    public boolean logScale() {
        return logScale;
    }

    /** Whether the values come from {@link EpStatsReport.Kind#BATCH} records (else from epoch records). */
    public boolean perBatch() {
        return perBatch;
    }

    /** The key of one series of this chart in {@link EpStatsReport#values()}. */
    public String key(String series) {
        return id + "/" + series;
    }

    /** Whether {@code key} belongs to this chart. */
    public boolean owns(String key) {
        return key.startsWith(id + "/");
    }

    /** The series name of one of this chart's keys. */
    public String series(String key) {
        return key.substring(id.length() + 1);
    }
}
