package io.kizuna.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.kizuna.testing.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged edge ({@code kizuna-pos-edge.jar}) as a real process: the centre goes away, the edge is killed with
 * SIGKILL while requests wait in its journal, a new edge process starts on the same folder (and still knows the
 * terminal without the centre), the centre comes back: every sale lands exactly once.
 */
class EdgeProcessIT {
    private static final int SALES = 300;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path folder;

    @Test
    void nothingIsLostOrDoubledWhenTheEdgeIsKilledMidStream() throws Exception {
        try (CentralServer central = new CentralServer().start()) {
            ApiClient admin = central.admin();
            String store = "KILL" + Long.toString(System.nanoTime(), 36);
            admin.post("/api/v1/stores", "{\"code\": \"" + store + "\", \"name\": \"Killed edge\"}").expect(201);
            String key = admin.post("/api/v1/stores/" + store + "/terminals", "{\"code\": \"01\"}")
                    .expect(201).at("/key");
            String member = admin.enroll("Edge Survivor");
            String card = admin.get("/api/v1/members/" + member).at("/cards/0/number");
            int edgePort = freePort();
            Process edge = startEdge(edgePort, central.port());
            try {
                for (int sale = 1; sale <= SALES; sale++) {
                    if (sale == 81) {
                        central.stop();
                    }
                    if (sale == 121) {
                        assertTrue(depth(edgePort) > 0, "requests are waiting in the journal when the edge dies");
                        edge.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                        edge = startEdge(edgePort, central.port());
                    }
                    if (sale == 161) {
                        central.start();
                    }
                    sell(edgePort, key, card, sale);
                }
                awaitEmptyJournal(edgePort);
            } finally {
                edge.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            assertEquals(SALES, central.receipts(store), "every sale landed exactly once");
            // 1,000 yen a sale earns 10 base points, multiplied by the default tiers from the sale after the one that
            // crosses each threshold, so the sum also proves the replay kept the sales' order: sales 1-30 Regular
            // (10), 31-100 Silver x1.2 (12), 101-300 Gold x1.5 (15).
            assertEquals(30 * 10 + 70 * 12 + 200 * 15, admin.get("/api/v1/members/" + member + "/balance")
                    .number("/available"));
            assertEquals("true", admin.get("/api/v1/ledger/audit").at("/balanced"));
        }
    }

    /** A till: sends the sale until some edge answers it, the same receipt every time. */
    private static void sell(int edgePort, String key, String card, int number) throws Exception {
        String body = "{\"businessDay\": \"2026-04-08\", \"receiptNumber\": \"K" + number + "\", \"card\": \"" + card
                + "\", \"currency\": \"JPY\", \"lines\": [{\"lineNumber\": 1, \"sku\": \"4901234567894\", "
                + "\"quantity\": 1, \"unitPrice\": 1000, \"amount\": 1000, \"discount\": 0}]}";
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + edgePort + "/pos/v1/sales"))
                        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                assertTrue(response.statusCode() == 201 || response.statusCode() == 200,
                        "sale " + number + ": " + response.statusCode() + " " + response.body());
                return;
            } catch (IOException edgeDownOrStarting) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no edge answered sale " + number, edgeDownOrStarting);
                }
                Thread.sleep(100);
            }
        }
    }

    private Process startEdge(int port, int centralPort) throws IOException {
        Path jar = Path.of(System.getProperty("kizuna.edge.jar", "../pos-adapter/target/kizuna-pos-edge.jar"))
                .toAbsolutePath().normalize();
        assertTrue(Files.exists(jar), "build the edge first: " + jar);
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java,
                "-Dserver.port=" + port,
                "-Dserver.host=127.0.0.1",
                "-Dkizuna.edge.central-url=http://127.0.0.1:" + centralPort + "/",
                "-Dkizuna.edge.dir=" + folder,
                "-Dkizuna.edge.call-timeout=PT1S",
                "-Dkizuna.edge.retry-attempts=2",
                "-Dkizuna.edge.retry-backoff=PT0.02S",
                "-Dkizuna.edge.breaker-open-for=PT0.3S",
                "-Dkizuna.edge.replay-interval=PT0.1S",
                "-jar", jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(folder.resolve("edge-" + System.nanoTime() + ".log").toFile())
                .start();
    }

    private static int depth(int edgePort) throws Exception {
        HttpResponse<String> status = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + edgePort + "/edge/v1/status")).build(),
                HttpResponse.BodyHandlers.ofString());
        var matcher = java.util.regex.Pattern.compile("\"queueDepth\":(\\d+)").matcher(status.body());
        assertTrue(matcher.find(), status.body());
        return Integer.parseInt(matcher.group(1));
    }

    private static void awaitEmptyJournal(int edgePort) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (depth(edgePort) > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the journal did not drain");
            }
            Thread.sleep(200);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
