package org.eqp.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The shared fixture folder {@code test-resources/} (Surefire passes it as {@code eqp.testResources}). */
public final class Fixtures {
    private Fixtures() {
    }

    public static Path dir() {
        String configured = System.getProperty("eqp.testResources");
        Path dir = configured != null ? Path.of(configured) : Path.of("..", "test-resources");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("test fixtures not found at " + dir.toAbsolutePath()
                    + "; run the tests from the repository (mvn test)");
        }
        return dir;
    }

    public static Path file(String name) {
        return dir().resolve(name);
    }

    /**
     * Copies the fixture files of a named dataset into {@code into}, laid out as a fetch leaves them: the four IDX
     * files of {@code mnist-subset/} for "mnist" and "fashion-mnist" (same format), {@code NAME.csv} for "wine" and
     * "diabetes". A stand-in for the network in tests of fetch-when-missing (it has the shape of
     * {@code DatasetFetcher.Source}).
     *
     * @throws IOException if there is no fixture for {@code name}
     */
    public static void copyDataset(String name, Path into) throws IOException {
        switch (name) {
            case "mnist", "fashion-mnist" -> {
                try (var files = Files.list(file("mnist-subset"))) {
                    for (Path f : files.toList()) {
                        Files.copy(f, into.resolve(f.getFileName()));
                    }
                }
            }
            case "wine", "diabetes" -> Files.copy(file(name + ".csv"), into.resolve(name + ".csv"));
            default -> throw new IOException("no fixture for dataset '" + name + "'");
        }
    }
}
