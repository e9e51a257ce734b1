package io.kizuna;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's run command, minus the build: {@code java -jar api/target/kizuna.jar} starts on a clean folder,
 * answers /observe/health UP, and after a stop and a start its data is still there.
 */
class ServerProcessIT {
    private static final Pattern KEY = Pattern.compile("(kz_[A-Za-z0-9_-]{20,})");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path workingDirectory;

    @Test
    void startsOnAFreshFolderAndKeepsItsDataAcrossARestart() throws Exception {
        int port = freePort();
        Running first = start(port);
        String key = first.awaitLine(KEY).group(1);
        awaitHealthy(port);
        String member = post(port, key, "/api/v1/members", "{\"profile\": {\"name\": \"Restart Survivor\"}}");
        Matcher id = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"").matcher(member);
        assertTrue(id.find(), member);
        first.stop();

        Running second = start(port);
        awaitHealthy(port);
        HttpResponse<String> read = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/members/" + id.group(1)))
                .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, read.statusCode(), read.body());
        assertTrue(read.body().contains("Restart Survivor"));
        assertFalse(second.output().stream().anyMatch(line -> KEY.matcher(line).find()),
                "the bootstrap key is shown once, on the first start only");
        second.stop();
    }

    private Running start(int port) throws IOException {
        Path jar = Path.of(System.getProperty("kizuna.jar", "target/kizuna.jar")).toAbsolutePath();
        assertTrue(Files.exists(jar), "build the jar first: " + jar);
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar.toString())
                .directory(workingDirectory.toFile())
                .redirectErrorStream(true);
        builder.environment().put("SERVER_PORT", String.valueOf(port));
        builder.environment().remove("KIZUNA_DB_URL");
        return new Running(builder.start());
    }

    private static void awaitHealthy(int port) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/observe/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200 && health.body().contains("\"status\":\"UP\"")) {
                    return;
                }
            } catch (IOException notYet) {
                // The server is still starting.
            }
            Thread.sleep(250);
        }
        throw new AssertionError("Kizuna did not report UP within 120 s");
    }

    private static String post(int port, String key, String path, String json) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + key)
                .header("Idempotency-Key", "restart-test")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, response.statusCode(), response.body());
        return response.body();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A started Kizuna process whose output is collected line by line. */
    private static final class Running {
        private final Process process;
        private final List<String> lines = new CopyOnWriteArrayList<>();

        Running(Process process) {
            this.process = process;
            Thread.ofVirtual().start(() -> {
                try (BufferedReader reader = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    reader.lines().forEach(lines::add);
                } catch (IOException ended) {
                    // The process is gone.
                }
            });
        }

        Matcher awaitLine(Pattern pattern) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (System.nanoTime() < deadline) {
                for (String line : lines) {
                    Matcher matcher = pattern.matcher(line);
                    if (matcher.find()) {
                        return matcher;
                    }
                }
                if (!process.isAlive()) {
                    throw new AssertionError("Kizuna exited: " + String.join("\n", lines));
                }
                Thread.sleep(100);
            }
            throw new AssertionError("No line matched " + pattern + " in: " + String.join("\n", lines));
        }

        List<String> output() {
            return lines;
        }

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("Kizuna did not stop within 60 s of SIGTERM");
            }
        }
    }
}
