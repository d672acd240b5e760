package org.eqp.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eqp.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fetching into the cache when a dataset is missing, with the fixtures standing in for the network. */
class DatasetFetcherTest {

    /** A source that copies the fixtures and remembers what it was asked for. */
    private static final class CountingSource implements DatasetFetcher.Source {
        final List<String> asked = new ArrayList<>();

        @Override
        public void download(String name, Path into) throws IOException {
            asked.add(name);
            Fixtures.copyDataset(name, into);
        }
    }

    private static LoadedDataset load(String name, Path cache, DatasetFetcher.Source source, ByteArrayOutputStream log) {
        return Datasets.loadFetchingIfMissing(DatasetRequest.builder().spec(name).cacheDir(cache).build(), source,
                new PrintStream(log, true));
    }

    @Test
    void aMissingDatasetIsFetchedIntoTheCacheOnceThenLoadedFromThere(@TempDir Path cache) {
        // given an empty cache
        CountingSource source = new CountingSource();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        // when wine is loaded twice
        LoadedDataset first = load("wine", cache, source, log);
        LoadedDataset second = load("wine", cache, source, new ByteArrayOutputStream());
        // then it was fetched once, into CACHE/wine, the user was told, and both loads agree
        assertEquals(List.of("wine"), source.asked);
        assertTrue(Files.isRegularFile(cache.resolve("wine/wine.csv")));
        assertTrue(log.toString().contains("wine not found locally; fetching it into " + cache), log.toString());
        assertEquals(178, first.train().numExamples() + first.test().numExamples());
        assertEquals(first.test().getFeatures(), second.test().getFeatures());
    }

    @Test
    void anIdxDatasetIsFetchedAsItsFourFiles(@TempDir Path cache) {
        // the MNIST fixture stands in for Fashion-MNIST (same format; MNIST would also be found in ~/.deeplearning4j)
        LoadedDataset fashion = load("fashion-mnist", cache, new CountingSource(), new ByteArrayOutputStream());
        assertEquals(784, fashion.numFeatures());
        assertEquals(1000, fashion.train().numExamples());
    }

    @Test
    void anIncompleteFetchFailsWithTheFixAndLeavesNothingInTheCache(@TempDir Path cache) throws IOException {
        // given a source that delivers the wrong file
        DatasetFetcher.Source broken = (name, into) -> Files.writeString(into.resolve("other.csv"), "1,2\n");
        // when wine is fetched from it
        DatasetUnavailableException e = assertThrows(DatasetUnavailableException.class,
                () -> load("wine", cache, broken, new ByteArrayOutputStream()));
        // then the message says what failed and what to do, and no folder (final or partial) is left
        assertTrue(e.getMessage().contains("no complete copy of wine") && e.getMessage().contains("--data-dir"),
                e.getMessage());
        try (var left = Files.list(cache)) {
            assertEquals(List.of(), left.toList());
        }
    }

    @Test
    void unknownNamesAndCsvPathsAreNeverFetched(@TempDir Path cache) {
        CountingSource source = new CountingSource();
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> load("mnits", cache, source, new ByteArrayOutputStream()));
        assertTrue(unknown.getMessage().contains("unknown dataset 'mnits'"), unknown.getMessage());
        assertThrows(DatasetUnavailableException.class,
                () -> load("csv:" + cache.resolve("absent.csv"), cache, source, new ByteArrayOutputStream()));
        assertEquals(List.of(), source.asked);
    }
}
