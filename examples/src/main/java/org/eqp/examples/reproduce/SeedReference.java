package org.eqp.examples.reproduce;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the reports find the seed authors' logged numbers: the copy bundled with the examples (resource folder
 * {@value #BUNDLED}, see its README for what it holds and where it comes from), or a folder of CSVs of the same names
 * and columns given with {@code --reference} (e.g. the project's {@code ../shared/reference}).
 */
public final class SeedReference {
    static final String BUNDLED = "/org/eqp/examples/reproduce/seed-reference/";
    /** The folder to read, or null for the bundled copy. */
    private final Path dir;

    private SeedReference(Path dir) {
        this.dir = dir;
    }

    /** The numbers bundled with the examples. */
    public static SeedReference bundled() {
        return new SeedReference(null);
    }

    /** The CSVs of a folder. */
    public static SeedReference in(Path dir) {
        return new SeedReference(dir);
    }

    /**
     * The lines of one reference CSV, header first; empty when a given folder lacks it.
     *
     * @param file a file name such as {@code fig4_p_sweep_5x100_mnist.csv}
     * @throws IllegalStateException if the bundled copy lacks it (a broken build)
     */
    List<String> lines(String file) throws IOException {
        if (dir != null) {
            Path csv = dir.resolve(file);
            return Files.isRegularFile(csv) ? Files.readAllLines(csv) : List.of();
        }
        try (InputStream in = SeedReference.class.getResourceAsStream(BUNDLED + file)) {
            if (in == null) {
                throw new IllegalStateException("the bundled seed reference " + BUNDLED + file + " is missing from the "
                        + "classpath; rebuild the examples module");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    /**
     * The positions of the named columns in a reference CSV's header line.
     *
     * @param file   the CSV's name, for the error
     * @param header its first line
     * @throws IOException naming the file and the columns it lacks
     */
    int[] columns(String file, String header, String... names) throws IOException {
        List<String> present = List.of(header.split(",", -1));
        int[] at = new int[names.length];
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            at[i] = present.indexOf(names[i]);
            if (at[i] < 0) {
                missing.add(names[i]);
            }
        }
        if (!missing.isEmpty()) {
            throw new IOException(file + " of " + this + " lacks the column(s) " + String.join(", ", missing)
                    + "; its header: " + header);
        }
        return at;
    }

    /** Where the numbers come from, for a report's note. */
    @Override
    public String toString() {
        return dir == null ? "the copy bundled with the examples" : dir.toString();
    }
}
