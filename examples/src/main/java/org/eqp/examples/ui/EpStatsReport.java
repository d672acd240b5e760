package org.eqp.examples.ui;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.core.storage.Persistable;

/**
 * One record of EP's own training statistics in a DL4J {@code StatsStorage}, next to {@code StatsListener}'s (type ID
 * {@value #TYPE_ID}): what {@link EpStatsReporter} measures and {@link EpChartsModule} draws. Three kinds:
 * <ul>
 *   <li>{@link Kind#RUN}, the session's static information: a label for the page and whether the run's errors are
 *       classification errors (fractions, shown in %) or mean squared errors;</li>
 *   <li>{@link Kind#BATCH}, one training batch: the values of the per-batch charts;</li>
 *   <li>{@link Kind#EPOCH}, one epoch: its errors.</li>
 * </ul>
 * Values are keyed {@code chart/series} (see {@link EpChart#key}); NaN stands for "not measured".
 *
 * <p>DL4J's in-memory storage keeps records by (session, type, worker, timestamp), so the reporter gives its records
 * strictly increasing timestamps. The byte encoding ({@link #encode()}) is what DL4J's remote and file storages use.
 */
public final class EpStatsReport implements Persistable {
    /** The DL4J type ID of these records in a {@code StatsStorage}. */
    public static final String TYPE_ID = "EpStats";

    /** What a record describes. */
    public enum Kind { RUN, BATCH, EPOCH }

    private String sessionId;
    private String workerId;
    private long timestamp;
    private Kind kind;
    private int epoch;
    private long batch;
    private String label;
    private boolean classification;
    private Map<String, Double> values;

    /** An empty record, for {@link #decode}. */
    public EpStatsReport() {
    }

    private EpStatsReport(String sessionId, String workerId, long timestamp, Kind kind, int epoch, long batch,
                          String label, boolean classification, Map<String, Double> values) {
        this.sessionId = Objects.requireNonNull(sessionId, "sessionId");
        this.workerId = Objects.requireNonNull(workerId, "workerId");
        this.timestamp = timestamp;
        this.kind = kind;
        this.epoch = epoch;
        this.batch = batch;
        this.label = Objects.requireNonNull(label, "label");
        this.classification = classification;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The run's static information: a label for the page; classification errors or mean squared errors. */
    public static EpStatsReport run(String sessionId, String workerId, long timestamp, String label,
                                    boolean classification) {
        return new EpStatsReport(sessionId, workerId, timestamp, Kind.RUN, 0, 0, label, classification, Map.of());
    }

    /** The values measured on training batch {@code batch} (counted from 1 over the run) in epoch {@code epoch}. */
    public static EpStatsReport batch(String sessionId, String workerId, long timestamp, int epoch, long batch,
                                      Map<String, Double> values) {
        return new EpStatsReport(sessionId, workerId, timestamp, Kind.BATCH, epoch, batch, "", false, values);
    }

    /** The values measured after epoch {@code epoch} (from 1), the last batch of which was {@code batch}. */
    public static EpStatsReport epoch(String sessionId, String workerId, long timestamp, int epoch, long batch,
                                      Map<String, Double> values) {
        return new EpStatsReport(sessionId, workerId, timestamp, Kind.EPOCH, epoch, batch, "", false, values);
    }

    public Kind kind() {
        return kind;
    }

    public int epoch() {
        return epoch;
    }

    public long batch() {
        return batch;
    }

    /** The run's label ({@link Kind#RUN}; empty otherwise). */
    public String label() {
        return label;
    }

    /** Whether the run's errors are classification errors ({@link Kind#RUN}). */
    public boolean classification() {
        return classification;
    }

    /** The measured values by {@code chart/series} key, in the order they were put. */
    public Map<String, Double> values() {
        return values;
    }

    @Override
    public String getSessionID() {
        return sessionId;
    }

    @Override
    public String getTypeID() {
        return TYPE_ID;
    }

    @Override
    public String getWorkerID() {
        return workerId;
    }

    @Override
    public long getTimeStamp() {
        return timestamp;
    }

    @Override
    public int encodingLengthBytes() {
        return encode().length;
    }

    @Override
    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            encode(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
        }
        return bytes.toByteArray();
    }

    @Override
    public void encode(ByteBuffer buffer) {
        buffer.put(encode());
    }

    @Override
    public void encode(OutputStream outputStream) throws IOException {
        DataOutputStream out = new DataOutputStream(outputStream);
        out.writeUTF(sessionId);
        out.writeUTF(workerId);
        out.writeLong(timestamp);
        out.writeByte(kind.ordinal());
        out.writeInt(epoch);
        out.writeLong(batch);
        out.writeUTF(label);
        out.writeBoolean(classification);
        out.writeInt(values.size());
        for (Map.Entry<String, Double> e : values.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeDouble(e.getValue());
        }
        out.flush();
    }

    @Override
    public void decode(byte[] bytes) {
        try {
            decode(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new IllegalArgumentException("not an encoded EpStatsReport: " + e, e);
        }
    }

    @Override
    public void decode(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        decode(bytes);
    }

    @Override
    public void decode(InputStream inputStream) throws IOException {
        DataInputStream in = new DataInputStream(inputStream);
        sessionId = in.readUTF();
        workerId = in.readUTF();
        timestamp = in.readLong();
        int k = in.readByte();
        if (k < 0 || k >= Kind.values().length) {
            throw new IOException("unknown record kind " + k);
        }
        kind = Kind.values()[k];
        epoch = in.readInt();
        batch = in.readLong();
        label = in.readUTF();
        classification = in.readBoolean();
        int n = in.readInt();
        Map<String, Double> read = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            read.put(in.readUTF(), in.readDouble());
        }
        values = Collections.unmodifiableMap(read);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EpStatsReport r && sessionId.equals(r.sessionId) && workerId.equals(r.workerId)
                && timestamp == r.timestamp && kind == r.kind && epoch == r.epoch && batch == r.batch
                && label.equals(r.label) && classification == r.classification && values.equals(r.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sessionId, workerId, timestamp, kind, epoch, batch, label, classification, values);
    }

    @Override
    public String toString() {
        return "EpStatsReport[" + kind + ", session " + sessionId + ", epoch " + epoch + ", batch " + batch + ", "
                + (kind == Kind.RUN ? label : values) + "]";
    }
}
