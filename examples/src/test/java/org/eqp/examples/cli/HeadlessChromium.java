package org.eqp.examples.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * A headless Chromium for browser tests, driven over the Chrome DevTools protocol (JSON messages on a WebSocket, with
 * the JDK's own client: no WebDriver, so no Selenium dependencies on the lab's classpath). Opens pages, evaluates
 * JavaScript in them, waits for conditions, takes screenshots.
 *
 * <p>Where no Chromium is installed the test is skipped, with the command that installs it; where the environment
 * variable {@value #REQUIRED} is {@code required} (CI sets it once it has installed the browser), it fails instead.
 */
final class HeadlessChromium implements AutoCloseable {
    /** Set to {@code required} to fail, rather than skip, a browser test that finds no Chromium. */
    static final String REQUIRED = "EQP_BROWSER_TEST";
    private static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome",
            "google-chrome-stable");
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Path profile;
    private final WebSocket page;
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();

    private HeadlessChromium(Process process, Path profile, URI pageSocket) throws Exception {
        this.process = process;
        this.profile = profile;
        this.page = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(pageSocket, new Replies())
                .get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /**
     * Starts a headless Chromium with a {@code width} x {@code height} window, or skips the calling test where none is
     * installed (fails where {@value #REQUIRED}=required).
     */
    static HeadlessChromium startOrSkip(int width, int height) throws Exception {
        Optional<Path> binary = find();
        if (binary.isEmpty()) {
            String problem = "no Chromium found (looked for " + String.join(", ", NAMES) + " on the PATH)";
            if ("required".equals(System.getenv(REQUIRED))) {
                Assertions.fail(problem + " but " + REQUIRED + "=required: install it with apt-get install chromium");
            }
            Assumptions.abort(problem + ": install it with apt-get install chromium to run this browser test");
        }
        Path profile = Files.createTempDirectory("eqp-chromium");
        Process process = new ProcessBuilder(binary.get().toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--remote-debugging-port=0",
                "--user-data-dir=" + profile, "--window-size=" + width + "," + height, "about:blank")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            URI browser = devToolsAddress(process).get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            return new HeadlessChromium(process, profile, pageSocket(browser));
        } catch (Exception e) {
            destroy(process, profile);
            throw e;
        }
    }

    /** A Chromium on the PATH. */
    private static Optional<Path> find() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .flatMap(dir -> NAMES.stream().map(name -> Path.of(dir, name))).filter(Files::isExecutable)
                .findFirst();
    }

    /** The browser's DevTools WebSocket address, which Chromium prints on stderr (the rest of stderr is drained). */
    private static CompletableFuture<URI> devToolsAddress(Process process) {
        CompletableFuture<URI> address = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            StringBuilder said = new StringBuilder();
            try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = err.readLine()) != null; ) {
                    if (line.startsWith("DevTools listening on ")) {
                        address.complete(URI.create(line.substring("DevTools listening on ".length()).strip()));
                    } else if (!address.isDone()) {
                        said.append(line).append('\n');
                    }
                }
            } catch (IOException e) {
                address.completeExceptionally(e);
            }
            address.completeExceptionally(new IllegalStateException("Chromium ended without a DevTools address:\n"
                    + said));
        }, "chromium-stderr");
        reader.setDaemon(true);
        reader.start();
        return address;
    }

    /** The WebSocket of the browser's first page (the about:blank it started with). */
    private static URI pageSocket(URI browser) throws Exception {
        URI list = URI.create("http://" + browser.getAuthority() + "/json/list");
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(list).timeout(STEP_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        for (JsonNode target : JSON.readTree(body)) {
            if (target.path("type").asText().equals("page")) {
                return URI.create(target.path("webSocketDebuggerUrl").asText());
            }
        }
        throw new IllegalStateException("Chromium shows no page target: " + body);
    }

    /** Loads {@code url} in the page (returns once the navigation started; wait for what the test needs). */
    void open(String url) throws Exception {
        ObjectNode params = JSON.createObjectNode().put("url", url);
        JsonNode result = send("Page.navigate", params);
        if (result.hasNonNull("errorText")) {
            throw new IllegalStateException("cannot open " + url + ": " + result.get("errorText").asText());
        }
    }

    /** The value of a JavaScript expression in the page (promises awaited), as JSON. */
    JsonNode evaluate(String expression) throws Exception {
        ObjectNode params = JSON.createObjectNode().put("expression", expression).put("returnByValue", true)
                .put("awaitPromise", true);
        JsonNode result = send("Runtime.evaluate", params);
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException(expression + " threw: " + result.get("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    /**
     * Waits until the JavaScript condition holds in the page (a condition that throws, e.g. on a page still loading,
     * does not hold); after {@code timeout} fails with {@code what} and the page's text. A deadline against hanging,
     * not a measurement.
     */
    void waitUntil(String condition, Duration timeout, String what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!evaluate("(() => { try { return Boolean(" + condition + "); } catch (e) { return false; } })()")
                .asBoolean()) {
            if (System.nanoTime() > deadline) {
                Assertions.fail(what + " did not happen within " + timeout.toSeconds() + " s; the page shows: "
                        + evaluate("document.body ? document.body.innerText.slice(0, 2000) : '(no body)'").asText());
            }
            Thread.sleep(200);
        }
    }

    /** A PNG of the whole page. */
    byte[] screenshot() throws Exception {
        ObjectNode params = JSON.createObjectNode().put("format", "png").put("captureBeyondViewport", true);
        return Base64.getDecoder().decode(send("Page.captureScreenshot", params).path("data").asText());
    }

    /** Sends one DevTools command to the page and waits for its result. */
    private JsonNode send(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", params);
        page.sendText(JSON.writeValueAsString(message), true).get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        JsonNode answer = reply.get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (answer.has("error")) {
            throw new IllegalStateException(method + " failed: " + answer.get("error"));
        }
        return answer.path("result");
    }

    /** Routes each reply (a message with an id; events have none) to the command waiting for it. */
    private final class Replies implements WebSocket.Listener {
        private final StringBuilder message = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence part, boolean last) {
            message.append(part);
            if (last) {
                try {
                    JsonNode json = JSON.readTree(message.toString());
                    CompletableFuture<JsonNode> reply = json.has("id") ? pending.remove(json.get("id").asInt()) : null;
                    if (reply != null) {
                        reply.complete(json);
                    }
                } catch (IOException e) {
                    pending.values().forEach(r -> r.completeExceptionally(e));
                }
                message.setLength(0);
            }
            socket.request(1);
            return null;
        }
    }

    @Override
    public void close() {
        page.abort();
        destroy(process, profile);
    }

    private static void destroy(Process process, Path profile) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("could not clean up Chromium's profile " + profile + ": " + e, e);
        }
    }
}
