package org.eqp.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files (the MNIST format: big-endian magic number, dimension sizes, unsigned bytes), plain or gzipped.
 * Images: magic 2051, then count, rows, columns, then count*rows*columns pixels. Labels: magic 2049, then count,
 * then count labels.
 */
public final class IdxFile {
    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;

    /** Images as raw bytes, row-major per image. */
    public record Images(int count, int rows, int columns, byte[] pixels) {
        public int pixelsPerImage() {
            return rows * columns;
        }
    }

    private IdxFile() {
    }

    /** Reads at most {@code limit} images (all when limit &lt; 0). */
    public static Images readImages(Path file, int limit) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != IMAGES_MAGIC) {
                throw new IOException(file + " is not an IDX image file (magic " + magic + ", expected " + IMAGES_MAGIC + ")");
            }
            int count = in.readInt();
            int rows = in.readInt();
            int columns = in.readInt();
            if (count < 0 || rows < 1 || columns < 1) {
                throw new IOException(file + ": invalid IDX header (count " + count + ", " + rows + "x" + columns + ")");
            }
            int n = limit < 0 ? count : Math.min(limit, count);
            byte[] pixels = new byte[Math.multiplyExact(n, rows * columns)];
            readFully(in, pixels, file);
            return new Images(n, rows, columns, pixels);
        }
    }

    /** Reads at most {@code limit} labels (all when limit &lt; 0), as unsigned values. */
    public static int[] readLabels(Path file, int limit) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != LABELS_MAGIC) {
                throw new IOException(file + " is not an IDX label file (magic " + magic + ", expected " + LABELS_MAGIC + ")");
            }
            int count = in.readInt();
            if (count < 0) {
                throw new IOException(file + ": invalid IDX label count " + count);
            }
            int n = limit < 0 ? count : Math.min(limit, count);
            byte[] raw = new byte[n];
            readFully(in, raw, file);
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = raw[i] & 0xff;
            }
            return labels;
        }
    }

    private static void readFully(DataInputStream in, byte[] into, Path file) throws IOException {
        try {
            in.readFully(into);
        } catch (EOFException e) {
            throw new IOException(file + " is truncated: its header promises more data than the file holds", e);
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        InputStream in = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
        return new DataInputStream(in);
    }
}
