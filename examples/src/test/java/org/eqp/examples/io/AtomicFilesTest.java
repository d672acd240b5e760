package org.eqp.examples.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    private static List<String> names(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aWriteReplacesTheFileWhole(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("sub/summary.json");
        AtomicFiles.writeString(target, "old");
        AtomicFiles.writeString(target, "new");
        assertEquals("new", Files.readString(target));
        assertEquals(List.of("summary.json"), names(dir.resolve("sub")));
    }

    @Test
    void aWriteThatFailsHalfWayLeavesThePreviousFileAndNoTemporaryFile(@TempDir Path dir) throws IOException {
        // given a complete file
        Path target = dir.resolve("model.zip");
        AtomicFiles.writeString(target, "old");
        // when a new content fails after writing part of itself
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, tmp -> {
            Files.writeString(tmp, "half");
            throw new IOException("disk full");
        }));
        // then the previous file is intact and nothing else is left
        assertEquals("disk full", e.getMessage());
        assertEquals("old", Files.readString(target));
        assertEquals(List.of("model.zip"), names(dir));
    }

    @Test
    void theTemporaryFileAWriteKilledBeforeItsRenameLeftIsRemovedByTheNextWrite(@TempDir Path dir) throws IOException {
        // given the stray of a write of metrics.csv killed before its rename, and a stray of another file
        Files.writeString(dir.resolve("metrics.csv"), "good");
        Files.writeString(dir.resolve(".metrics.csv.4711.tmp"), "half");
        Files.writeString(dir.resolve(".summary.json.42.tmp"), "half");
        // then the file is the previous good one, and the next write of it removes its stray only
        assertEquals("good", Files.readString(dir.resolve("metrics.csv")));
        AtomicFiles.writeString(dir.resolve("metrics.csv"), "better");
        assertEquals(List.of(".summary.json.42.tmp", "metrics.csv"), names(dir));
        assertEquals("better", Files.readString(dir.resolve("metrics.csv")));
    }
}
