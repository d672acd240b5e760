package org.eqp.examples.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a file so that a process killed at any moment leaves either the previous complete file or the new complete
 * one, never a part: the content goes to a temporary file in the target's directory, which is then renamed over the
 * target ({@link StandardCopyOption#ATOMIC_MOVE}, one {@code rename} on POSIX file systems). A kill before the rename
 * leaves a stray {@code .NAME.*.tmp} next to the target, which the next write of the same target removes.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Writes a file's content to the path it is given (a temporary file that becomes the target). */
    @FunctionalInterface
    public interface Content {
        void writeTo(Path file) throws IOException;
    }

    /**
     * Replaces {@code target} by what {@code content} writes, atomically; creates the parent directories.
     *
     * @throws IOException if writing or renaming fails (the target is then unchanged and no temporary file is left)
     */
    public static void write(Path target, Content content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        String name = target.getFileName().toString();
        removeStrays(dir, name);
        Path tmp = Files.createTempFile(dir, "." + name + ".", ".tmp");
        try {
            content.writeTo(tmp);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Replaces {@code target} by {@code text} (UTF-8), atomically. */
    public static void writeString(Path target, CharSequence text) throws IOException {
        write(target, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
    }

    /** Temporary files of earlier writes of {@code name} that a kill left behind. */
    private static void removeStrays(Path dir, String name) throws IOException {
        try (var strays = Files.newDirectoryStream(dir, "." + name + ".*.tmp")) {
            for (Path stray : strays) {
                Files.deleteIfExists(stray);
            }
        }
    }
}
