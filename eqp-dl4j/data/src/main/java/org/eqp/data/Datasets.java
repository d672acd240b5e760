package org.eqp.data;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The dataset registry: loads MNIST, Fashion-MNIST, wine, diabetes, digits and any CSV into memory, and fetches the
 * named ones ({@link DatasetFetcher}). {@link #load} never downloads: a missing dataset gives a
 * {@link DatasetUnavailableException} saying how to get it; {@link #loadFetchingIfMissing} fetches it first.
 *
 * <p>Where files are looked for, in order: the request's data directory, the cache folder of the dataset
 * ({@code CACHE/mnist}, ...), and for MNIST also DL4J's own cache ({@code ~/.deeplearning4j/} and
 * {@code ~/.deeplearning4j/data/MNIST/}). IDX files may be plain or gzipped.
 */
public final class Datasets {
    /** The datasets {@link DatasetFetcher} can fetch. */
    public static final List<String> FETCHABLE = List.of("mnist", "fashion-mnist", "wine", "diabetes", "digits");

    static final String[] IDX_FILES = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
            "t10k-labels-idx1-ubyte"};

    /** Bundled CSV datasets: file name and number of classes (0 = regression); the label is the last column. */
    private static final Map<String, Integer> CSV_CLASSES = Map.of("wine", 3, "diabetes", 0, "digits", 10);

    private Datasets() {
    }

    /** Loads the requested dataset (never downloads). */
    public static LoadedDataset load(DatasetRequest request) {
        String spec = request.spec();
        if (spec.startsWith("csv:")) {
            return CsvDatasets.load(spec, Path.of(spec.substring(4)), request);
        }
        LoadedDataset named = switch (spec) {
            case "mnist", "fashion-mnist" -> loadIdx(spec, request);
            case "wine", "diabetes", "digits" -> loadBundledCsv(spec, request);
            default -> throw new IllegalArgumentException("unknown dataset '" + spec + "'; use "
                    + String.join(", ", FETCHABLE) + " or csv:PATH");
        };
        requireClassesMatch(named, request);
        return named;
    }

    /**
     * A named dataset knows its classes; a number of classes the request gives (meant for CSV files) must agree with
     * them rather than be ignored.
     */
    private static void requireClassesMatch(LoadedDataset named, DatasetRequest request) {
        if (request.classes() != null && (named.isRegression() || named.numClasses() != request.classes())) {
            throw new IllegalArgumentException("--classes " + request.classes() + " does not match " + named.name()
                    + (named.isRegression() ? ", a regression dataset" : ", which has " + named.numClasses()
                    + " classes") + "; drop --classes (it describes csv:PATH files)");
        }
    }

    /**
     * Loads a dataset, first fetching a named one from {@code source} into the request's cache when it is found
     * nowhere ({@link #load}'s places). CSV files given by path are never fetched.
     *
     * @param log told when a fetch starts and ends
     * @throws DatasetUnavailableException if it is missing and cannot be fetched
     */
    public static LoadedDataset loadFetchingIfMissing(DatasetRequest request, DatasetFetcher.Source source,
                                                      PrintStream log) {
        try {
            return load(request);
        } catch (DatasetUnavailableException missing) {
            if (!FETCHABLE.contains(request.spec())) {
                throw missing;
            }
            log.println(request.spec() + " not found locally; fetching it into " + request.cacheDir() + " ...");
            Path dir = DatasetFetcher.fetch(request.spec(), request.cacheDir(), source);
            log.println(request.spec() + " fetched into " + dir);
            return load(request);
        }
    }

    /**
     * Fetches a named dataset from {@code source} into the cache ({@code cacheDir}, or the default when null) unless
     * it is already there; returns its folder.
     */
    public static Path fetch(String name, Path cacheDir, DatasetFetcher.Source source) {
        return DatasetFetcher.fetch(name, DatasetCache.resolve(cacheDir), source);
    }

    /** Whether {@code dir} holds every file of dataset {@code name}. */
    static boolean isComplete(String name, Path dir) {
        if (name.equals("mnist") || name.equals("fashion-mnist")) {
            for (String f : IDX_FILES) {
                if (idxFile(dir, f) == null) {
                    return false;
                }
            }
            return true;
        }
        return Files.isRegularFile(dir.resolve(name + ".csv"));
    }

    private static LoadedDataset loadIdx(String name, DatasetRequest request) {
        List<Path> candidates = new ArrayList<>();
        if (request.dataDir() != null) {
            candidates.add(request.dataDir());
        }
        candidates.add(request.cacheDir().resolve(name));
        if (name.equals("mnist")) {
            Path dl4j = Path.of(System.getProperty("user.home"), ".deeplearning4j");
            candidates.add(dl4j);
            candidates.add(dl4j.resolve("data").resolve("MNIST"));
        }
        for (Path dir : candidates) {
            if (isComplete(name, dir)) {
                try {
                    DataSet train = IdxDataLoader.load(idxFile(dir, IDX_FILES[0]), idxFile(dir, IDX_FILES[1]), 10,
                            request.trainLimit());
                    DataSet test = IdxDataLoader.load(idxFile(dir, IDX_FILES[2]), idxFile(dir, IDX_FILES[3]), 10,
                            request.testLimit());
                    return new LoadedDataset(name, train, test, (int) train.getFeatures().size(1), 10);
                } catch (IOException e) {
                    throw new UncheckedIOException("could not read " + name + " from " + dir + ": " + e.getMessage(), e);
                }
            }
        }
        throw new DatasetUnavailableException(name + " was not found (looked in " + candidates + " for "
                + String.join(", ", IDX_FILES) + ", plain or .gz). Run ./eqp data fetch " + name
                + ", or pass --data-dir DIR with those files.");
    }

    private static LoadedDataset loadBundledCsv(String name, DatasetRequest request) {
        List<Path> candidates = new ArrayList<>();
        if (request.dataDir() != null) {
            candidates.add(request.dataDir().resolve(name + ".csv"));
        }
        candidates.add(request.cacheDir().resolve(name).resolve(name + ".csv"));
        for (Path csv : candidates) {
            if (Files.isRegularFile(csv)) {
                int classes = CSV_CLASSES.get(name);
                DatasetRequest.Builder b = DatasetRequest.builder().spec(name).labelColumn(-1)
                        .testFraction(request.testFraction()).seed(request.seed()).trainLimit(request.trainLimit())
                        .testLimit(request.testLimit());
                if (classes == 0) {
                    b.regression();
                } else {
                    b.classes(classes);
                }
                return CsvDatasets.load(name, csv, b.build());
            }
        }
        throw new DatasetUnavailableException(name + " was not found (looked for " + candidates + "). Run ./eqp data fetch "
                + name + ", or pass --data-dir DIR holding " + name + ".csv (label in the last column).");
    }

    private static Path idxFile(Path dir, String base) {
        Path plain = dir.resolve(base);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        Path gz = dir.resolve(base + ".gz");
        return Files.isRegularFile(gz) ? gz : null;
    }
}
