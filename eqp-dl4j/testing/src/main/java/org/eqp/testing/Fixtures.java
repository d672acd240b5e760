package org.eqp.testing;

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
}
