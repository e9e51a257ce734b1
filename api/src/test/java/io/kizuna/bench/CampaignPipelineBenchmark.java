package io.kizuna.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.kizuna.Kizuna;
import io.kizuna.db.Database;
import io.kizuna.db.DatabaseConfig;
import io.kizuna.db.EmbeddedMariaDb;
import org.HdrHistogram.Histogram;

/**
 * What the campaign pipeline adds to a sale: the latency of sales to members of every campaign's treatment group,
 * one after another over real HTTP (so the figure is the sale's own cost, not queueing), first with no campaign,
 * then with 20 active campaigns, each awarding points on every sale from its own budget account.
 */
public final class CampaignPipelineBenchmark {
    private static final String ADMIN_KEY = "kz_campaign-benchmark-admin-key-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int MEMBERS = 200;

    private final int port;
    private final List<String> cards = new ArrayList<>();
    private String till;
    private int receipts;

    private CampaignPipelineBenchmark(int port) {
        this.port = port;
    }

    public static void main(String[] args) throws Exception {
        int campaigns = Integer.getInteger("campaigns.count", 20);
        int sales = Integer.getInteger("campaigns.sales", 3_000);
        Path folder = Path.of(System.getProperty("campaigns.dataDir", "target/campaign-bench")).toAbsolutePath();
        deleteRecursively(folder);
        try (EmbeddedMariaDb server = EmbeddedMariaDb.start(folder, 0);
             Kizuna kizuna = Kizuna.start(config(), Database.onSharedServer(server,
                     DatabaseConfig.embedded(folder).withSchema("campaigns")), Clock.systemUTC())) {
            CampaignPipelineBenchmark bench = new CampaignPipelineBenchmark(kizuna.port());
            bench.setUp();
            System.out.printf("Campaign pipeline: %d members, sales one after another over HTTP, %d measured per row;"
                    + " %d CPUs%n", MEMBERS, sales, Runtime.getRuntime().availableProcessors());
            Histogram without = bench.measure(sales);
            bench.activate(campaigns);
            Histogram with = bench.measure(sales);
            print("no campaign", without);
            print(campaigns + " active campaigns", with);
            System.out.printf("Extra latency of %d campaigns: p50 %+.2f ms, p99 %+.2f ms%n", campaigns,
                    (with.getValueAtPercentile(50) - without.getValueAtPercentile(50)) / 1e3,
                    (with.getValueAtPercentile(99) - without.getValueAtPercentile(99)) / 1e3);
            JsonNode audit = bench.call("GET", "/api/v1/ledger/audit", null, ADMIN_KEY);
            System.out.println("Ledger audit after the run: " + (audit.get("balanced").asBoolean() ? "balanced"
                    : "NOT BALANCED " + audit));
        }
    }

    private static Config config() {
        return Config.builder().disableEnvironmentVariablesSource().disableSystemPropertiesSource()
                .sources(ConfigSources.create(Map.of("server.port", "0", "server.host", "127.0.0.1",
                                "kizuna.security.bootstrap-admin-key", ADMIN_KEY)),
                        ConfigSources.classpath("application.yaml"))
                .build();
    }

    private void setUp() throws Exception {
        String store = "B" + Long.toString(System.nanoTime(), 36);
        call("POST", "/api/v1/stores", "{\"code\": \"" + store + "\", \"name\": \"Bench\"}", ADMIN_KEY);
        till = call("POST", "/api/v1/stores/" + store + "/terminals", "{\"code\": \"01\"}", ADMIN_KEY)
                .get("key").asText();
        for (int i = 0; i < MEMBERS; i++) {
            String member = call("POST", "/api/v1/members", "{\"profile\": {\"name\": \"Member " + i + "\"},"
                    + " \"card\": \"VIRTUAL\"}", ADMIN_KEY).at("/member/id").asText();
            cards.add(call("GET", "/api/v1/members/" + member, null, ADMIN_KEY).at("/cards/0/number").asText());
        }
        measure(2_000); // the JIT and the pools warm up on the path without campaigns
    }

    /** 20 campaigns on everyone, holdout 0 so that every sale goes through every campaign's award. */
    private void activate(int campaigns) throws Exception {
        String everyone = call("POST", "/api/v1/segments", "{\"name\": \"Everyone\", \"definition\": {\"criteria\":"
                + " [{\"kind\": \"status\", \"statuses\": [\"ACTIVE\"]}]}}", ADMIN_KEY).get("id").asText();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        for (int i = 0; i < campaigns; i++) {
            String id = call("POST", "/api/v1/campaigns", "{\"code\": \"BENCH" + i + "\", \"name\": \"Bench " + i
                    + "\", \"audience\": [\"" + everyone + "\"], \"startsAt\": \"" + now.minus(1, ChronoUnit.HOURS)
                    + "\", \"endsAt\": \"" + now.plus(30, ChronoUnit.DAYS) + "\", \"reward\": {\"kind\": \"fixedBonus\","
                    + " \"points\": 1}, \"requiresEntry\": false, \"budget\": 100000000, \"priority\": " + (i + 1)
                    + ", \"holdout\": 0}", ADMIN_KEY).get("id").asText();
            call("POST", "/api/v1/campaigns/" + id + "/transitions", "{\"to\": \"SCHEDULED\"}", ADMIN_KEY);
            call("POST", "/api/v1/campaigns/" + id + "/transitions", "{\"to\": \"ACTIVE\"}", ADMIN_KEY);
        }
        measure(2_000); // the campaign path warms up too
    }

    private Histogram measure(int sales) throws Exception {
        Histogram latency = new Histogram(3);
        String day = LocalDate.now(ZoneId.of("Asia/Tokyo")).toString();
        for (int i = 0; i < sales; i++) {
            String body = "{\"businessDay\": \"" + day + "\", \"receiptNumber\": \"R" + (++receipts) + "\", \"card\": \""
                    + cards.get(i % cards.size()) + "\", \"currency\": \"JPY\", \"lines\": [{\"lineNumber\": 1, \"sku\":"
                    + " \"4901234567894\", \"quantity\": 1, \"unitPrice\": 500, \"amount\": 500, \"discount\": 0}]}";
            long start = System.nanoTime();
            call("POST", "/pos/v1/sales", body, till);
            latency.recordValue((System.nanoTime() - start) / 1_000);
        }
        return latency;
    }

    private JsonNode call(String method, String path, String body, String key) throws IOException,
            InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + key).header("Idempotency-Key", UUID.randomUUID().toString())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
    }

    private static void print(String row, Histogram latency) {
        System.out.printf("  %-22s sale latency ms p50 %6.2f  p90 %6.2f  p99 %6.2f  max %7.2f%n", row,
                latency.getValueAtPercentile(50) / 1e3, latency.getValueAtPercentile(90) / 1e3,
                latency.getValueAtPercentile(99) / 1e3, latency.getMaxValue() / 1e3);
    }

    private static void deleteRecursively(Path folder) throws IOException {
        if (Files.exists(folder)) {
            try (Stream<Path> paths = Files.walk(folder)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}
