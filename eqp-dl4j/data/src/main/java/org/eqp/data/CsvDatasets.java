package org.eqp.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.datavec.api.records.reader.impl.csv.CSVRecordReader;
import org.datavec.api.split.FileSplit;
import org.datavec.api.writable.Writable;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Any numeric CSV as an EP dataset, read through DataVec's {@link CSVRecordReader}: one label column (class index or
 * regression target), the other columns features. A first line that is not all numbers is taken as a header.
 * The rows are split by a seeded shuffle into train and test parts; features (and regression targets) are min-max
 * scaled to [0, 1] with the minimum and maximum of the <em>training</em> part only (a constant column maps to 0).
 */
public final class CsvDatasets {
    private CsvDatasets() {
    }

    /**
     * @param name    dataset name for messages and results
     * @param csv     the file
     * @param request label column, classes or regression, test fraction, seed, limits
     */
    public static LoadedDataset load(String name, Path csv, DatasetRequest request) {
        if (!Files.isRegularFile(csv)) {
            throw new DatasetUnavailableException("CSV file " + csv + " does not exist; check the path given with --dataset csv:PATH");
        }
        double[][] rows = read(csv);
        int columns = rows[0].length;
        if (columns < 2) {
            throw new IllegalArgumentException(csv + " needs a label column and at least one feature column; it has "
                    + columns + " column(s)");
        }
        int labelColumn = request.labelColumn() < 0 ? columns + request.labelColumn() : request.labelColumn();
        if (labelColumn < 0 || labelColumn >= columns) {
            throw new IllegalArgumentException("label column " + request.labelColumn() + " does not exist in " + csv
                    + " (" + columns + " columns; use 0.." + (columns - 1) + " or -1 for the last)");
        }
        int classes = request.regression() ? 0 : classCount(rows, labelColumn, request.classes(), csv);

        int[] order = Permutations.of(rows.length, new Random(request.seed()));
        int testCount = (int) Math.round(rows.length * request.testFraction());
        if (testCount < 1 || testCount >= rows.length) {
            throw new IllegalArgumentException(csv + " has " + rows.length + " rows: a test fraction of "
                    + request.testFraction() + " leaves no training or no test rows");
        }
        int[] test = limit(java.util.Arrays.copyOfRange(order, 0, testCount), request.testLimit());
        int[] train = limit(java.util.Arrays.copyOfRange(order, testCount, rows.length), request.trainLimit());

        MinMaxScaler scaler = MinMaxScaler.fit(rows, train);
        return new LoadedDataset(name, toDataSet(rows, train, labelColumn, classes, scaler),
                toDataSet(rows, test, labelColumn, classes, scaler), columns - 1, classes);
    }

    private static int[] limit(int[] rows, int limit) {
        return limit < 0 || limit >= rows.length ? rows : java.util.Arrays.copyOf(rows, limit);
    }

    private static int maxLabel(double[][] rows, int labelColumn) {
        return (int) java.util.Arrays.stream(rows).mapToDouble(row -> row[labelColumn]).max().orElse(0);
    }

    private static int classCount(double[][] rows, int labelColumn, Integer given, Path csv) {
        int max = 0;
        for (int r = 0; r < rows.length; r++) {
            double v = rows[r][labelColumn];
            if (v != Math.rint(v) || v < 0) {
                throw new IllegalArgumentException(csv + ": row " + (r + 1) + " has label " + v + "; class labels must be "
                        + "integers 0..C-1 (or pass --regression for a real-valued target)");
            }
            if (given != null && v >= given) {
                throw new IllegalArgumentException(csv + ": row " + (r + 1) + " has label " + (int) v + ", outside 0.."
                        + (given - 1) + " for --classes " + given + "; give --classes " + (maxLabel(rows, labelColumn) + 1)
                        + " or more, or drop --classes to count the labels");
            }
            max = Math.max(max, (int) v);
        }
        int classes = given != null ? given : max + 1;
        if (classes < 2) {
            throw new IllegalArgumentException(csv + ": every row has label 0; classification needs at least two classes");
        }
        return classes;
    }

    private static DataSet toDataSet(double[][] rows, int[] which, int labelColumn, int classes, MinMaxScaler scaler) {
        int features = rows[0].length - 1;
        int outputs = classes == 0 ? 1 : classes;
        float[] x = new float[which.length * features];
        float[] y = new float[which.length * outputs];
        for (int i = 0; i < which.length; i++) {
            double[] row = rows[which[i]];
            for (int c = 0, f = 0; c < row.length; c++) {
                if (c != labelColumn) {
                    x[i * features + f++] = (float) scaler.scale(c, row[c]);
                }
            }
            if (classes == 0) {
                y[i] = (float) scaler.scale(labelColumn, row[labelColumn]);
            } else {
                y[i * outputs + (int) row[labelColumn]] = 1f;
            }
        }
        return new DataSet(Nd4j.create(x, new long[] {which.length, features}, 'c'),
                Nd4j.create(y, new long[] {which.length, outputs}, 'c'));
    }

    /** All rows of a numeric CSV, via DataVec; clear errors for ragged rows, non-numbers and NaN/Inf. */
    static double[][] read(Path csv) {
        int skip = hasHeader(csv) ? 1 : 0;
        List<double[]> rows = new ArrayList<>();
        try (CSVRecordReader reader = new CSVRecordReader(skip, ',')) {
            reader.initialize(new FileSplit(csv.toFile()));
            int line = skip;
            while (reader.hasNext()) {
                List<Writable> record = reader.next();
                line++;
                double[] row = new double[record.size()];
                for (int c = 0; c < row.length; c++) {
                    row[c] = number(record.get(c).toString(), csv, line, c);
                }
                if (!rows.isEmpty() && row.length != rows.get(0).length) {
                    throw new IllegalArgumentException(csv + ": line " + line + " has " + row.length + " columns, line "
                            + (skip + 1) + " has " + rows.get(0).length + "; every line needs the same columns "
                            + "(features, then the label)");
                }
                rows.add(row);
            }
        } catch (IOException | InterruptedException e) {
            throw new UncheckedIOException(new IOException("could not read " + csv + ": " + e.getMessage(), e));
        }
        if (rows.size() < 2) {
            throw new IllegalArgumentException(csv + " holds " + rows.size() + " data rows; at least 2 are needed");
        }
        return rows.toArray(new double[0][]);
    }

    private static double number(String cell, Path csv, int line, int column) {
        double v;
        try {
            v = Double.parseDouble(cell.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(csv + ": line " + line + ", column " + column + " holds '" + cell
                    + "', not a number; EP datasets must be numeric (encode categories as numbers first)");
        }
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(csv + ": line " + line + ", column " + column + " holds " + cell
                    + "; NaN and infinite values are not allowed (clean or impute the data first)");
        }
        return v;
    }

    private static boolean hasHeader(Path csv) {
        try (BufferedReader in = Files.newBufferedReader(csv)) {
            String first = in.readLine();
            if (first == null) {
                throw new IllegalArgumentException(csv + " is empty; give a CSV with one example per line (features, then "
                        + "the label), an optional header first");
            }
            for (String cell : first.split(",")) {
                try {
                    Double.parseDouble(cell.trim());
                } catch (NumberFormatException e) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Per-column minimum and maximum of chosen rows; maps [min, max] to [0, 1], constant columns to 0. */
    record MinMaxScaler(double[] min, double[] max) {
        static MinMaxScaler fit(double[][] rows, int[] which) {
            int columns = rows[0].length;
            double[] min = new double[columns];
            double[] max = new double[columns];
            java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
            java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
            for (int r : which) {
                for (int c = 0; c < columns; c++) {
                    min[c] = Math.min(min[c], rows[r][c]);
                    max[c] = Math.max(max[c], rows[r][c]);
                }
            }
            return new MinMaxScaler(min, max);
        }

        double scale(int column, double v) {
            double range = max[column] - min[column];
            return range == 0 ? 0 : (v - min[column]) / range;
        }
    }
}
