package org.eqp.examples.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import io.vertx.ext.web.RoutingContext;
import org.deeplearning4j.core.storage.Persistable;
import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.core.storage.StatsStorageEvent;
import org.deeplearning4j.ui.api.HttpMethod;
import org.deeplearning4j.ui.api.Route;
import org.deeplearning4j.ui.api.UIModule;
import org.deeplearning4j.ui.i18n.I18NResource;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * EP's page in DL4J's training UI: a {@link UIModule} that DL4J's {@code VertxUIServer} finds through
 * {@code META-INF/services} and serves next to its own training pages.
 * <ul>
 *   <li>{@value #PAGE} is the page: the charts of {@link EpChart}, drawn in the browser from the data below and
 *       refreshed every two seconds, and a table of the errors per epoch;</li>
 *   <li>{@value #DATA} is its data, as JSON: the {@link EpStatsReport}s of the newest session that has them, in any
 *       storage attached to the server; per-batch series longer than {@value #MAX_POINTS} points are averaged over
 *       consecutive batches to that many.</li>
 * </ul>
 */
public final class EpChartsModule implements UIModule {
    /** The path of the page. */
    public static final String PAGE = "/ep";
    /** The path of the page's data. */
    public static final String DATA = "/ep/data";
    /** The most points a per-batch series is drawn with. */
    static final int MAX_POINTS = 400;

    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<StatsStorage> storages = new CopyOnWriteArrayList<>();
    private final String page = readPage();

    @Override
    public List<String> getCallbackTypeIDs() {
        return List.of(); // the data is read from the storages when asked for, not pushed
    }

    @Override
    public List<Route> getRoutes() {
        return List.of(new Route(PAGE, HttpMethod.GET, (args, ctx) -> send(ctx, "text/html; charset=utf-8", page)),
                new Route(DATA, HttpMethod.GET, (args, ctx) -> send(ctx, "application/json", data().toString())));
    }

    @Override
    public void reportStorageEvents(Collection<StatsStorageEvent> events) {
    }

    @Override
    public void onAttach(StatsStorage statsStorage) {
        storages.add(statsStorage);
    }

    @Override
    public void onDetach(StatsStorage statsStorage) {
        storages.remove(statsStorage);
    }

    @Override
    public List<I18NResource> getInternationalizationResources() {
        return List.of();
    }

    private static void send(RoutingContext ctx, String contentType, String body) {
        ctx.response().putHeader("content-type", contentType).putHeader("cache-control", "no-store").end(body);
    }

    /** The page's data: {@code {"session": null}} while no storage holds EP records. */
    ObjectNode data() {
        ObjectNode out = JSON.createObjectNode();
        SessionRecords newest = newestSession();
        if (newest == null) {
            out.putNull("session");
            return out;
        }
        out.put("session", newest.session());
        out.put("label", newest.run().label());
        out.put("classification", newest.run().classification());
        List<EpStatsReport> batches = newest.of(EpStatsReport.Kind.BATCH);
        List<EpStatsReport> epochs = newest.of(EpStatsReport.Kind.EPOCH);
        out.put("batches", batches.isEmpty() ? 0 : batches.get(batches.size() - 1).batch());
        out.put("epochs", epochs.isEmpty() ? 0 : epochs.get(epochs.size() - 1).epoch());
        ArrayNode charts = out.putArray("charts");
        for (EpChart chart : EpChart.values()) {
            charts.add(chart.perBatch() ? chart(chart, batches, MAX_POINTS) : chart(chart, epochs, Integer.MAX_VALUE));
        }
        return out;
    }

    /**
     * One chart: x (the batch or epoch of each point) and its series, each point the mean over a bucket of consecutive
     * records (null where a bucket has no finite value), so that there are at most {@code maxPoints}.
     */
    private static ObjectNode chart(EpChart chart, List<EpStatsReport> records, int maxPoints) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", chart.id());
        node.put("title", chart.title());
        node.put("x_label", chart.xLabel());
        node.put("log_y", chart.logScale());
        int bucket = Math.max(1, (int) Math.ceil(records.size() / (double) maxPoints));
        Set<String> keys = new LinkedHashSet<>();
        for (EpStatsReport r : records) {
            r.values().keySet().stream().filter(chart::owns).forEach(keys::add);
        }
        ArrayNode x = node.putArray("x");
        ObjectNode series = node.putObject("series");
        for (String key : keys) {
            series.putArray(chart.series(key));
        }
        for (int start = 0; start < records.size(); start += bucket) {
            List<EpStatsReport> group = records.subList(start, Math.min(records.size(), start + bucket));
            EpStatsReport last = group.get(group.size() - 1);
            x.add(chart.perBatch() ? last.batch() : last.epoch());
            for (String key : keys) {
                double mean = meanOf(group, key);
                ArrayNode values = (ArrayNode) series.get(chart.series(key));
                if (Double.isFinite(mean)) {
                    values.add(mean);
                } else {
                    values.addNull();
                }
            }
        }
        return node;
    }

    /** Mean of the finite values of {@code key} in {@code group}; NaN when there are none. */
    private static double meanOf(List<EpStatsReport> group, String key) {
        double sum = 0;
        int n = 0;
        for (EpStatsReport r : group) {
            Double v = r.values().get(key);
            if (v != null && Double.isFinite(v)) {
                sum += v;
                n++;
            }
        }
        return n > 0 ? sum / n : Double.NaN;
    }

    /** The EP records of one session, in time order. */
    private record SessionRecords(String session, EpStatsReport run, List<EpStatsReport> updates) {
        List<EpStatsReport> of(EpStatsReport.Kind kind) {
            return updates.stream().filter(r -> r.kind() == kind).toList();
        }
    }

    /** The session whose EP run information is newest, over all attached storages; null if there is none. */
    private SessionRecords newestSession() {
        SessionRecords newest = null;
        for (StatsStorage storage : storages) {
            for (String session : storage.listSessionIDs()) {
                List<Persistable> infos = storage.getAllStaticInfos(session, EpStatsReport.TYPE_ID);
                if (infos.isEmpty()) {
                    continue;
                }
                EpStatsReport run = (EpStatsReport) infos.get(0);
                if (newest == null || run.getTimeStamp() > newest.run().getTimeStamp()) {
                    newest = new SessionRecords(session, run, updates(storage, session));
                }
            }
        }
        return newest;
    }

    private static List<EpStatsReport> updates(StatsStorage storage, String session) {
        List<EpStatsReport> updates = new ArrayList<>();
        for (String worker : storage.listWorkerIDsForSessionAndType(session, EpStatsReport.TYPE_ID)) {
            for (Persistable p : storage.getAllUpdatesAfter(session, EpStatsReport.TYPE_ID, worker, 0)) {
                updates.add((EpStatsReport) p);
            }
        }
        updates.sort(Comparator.comparingLong(EpStatsReport::getTimeStamp));
        return updates;
    }

    private static String readPage() {
        try (InputStream in = EpChartsModule.class.getResourceAsStream("ep-charts.html")) {
            if (in == null) {
                throw new IllegalStateException("ep-charts.html is missing next to " + EpChartsModule.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
