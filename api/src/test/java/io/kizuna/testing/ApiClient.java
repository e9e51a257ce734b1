package io.kizuna.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A small real HTTP client for /api/v1, speaking JSON, with a staff key. */
public final class ApiClient {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int port;
    private final String key;

    ApiClient(int port, String key) {
        this.port = port;
        this.key = key;
    }

    /** A client of the same server with another key. */
    public ApiClient as(String otherKey) {
        return new ApiClient(port, otherKey);
    }

    /** An answer: status, content type and the body parsed as JSON (null when empty or not JSON). */
    public record Reply(int status, String contentType, String text, JsonNode json) {
        public Reply expect(int expected) {
            assertEquals(expected, status, () -> "unexpected status; body: " + text);
            return this;
        }

        public String at(String pointer) {
            return json.at(pointer).asText();
        }

        public long number(String pointer) {
            return json.at(pointer).asLong();
        }

        /** Asserts an RFC 9457 problem with the given status and stable code. */
        public Reply problem(int expectedStatus, String code) {
            expect(expectedStatus);
            assertEquals("application/problem+json", contentType, "problem content type");
            assertEquals(code, at("/code"), () -> "problem code; body: " + text);
            assertEquals(expectedStatus, json.at("/status").asInt());
            return this;
        }
    }

    /** The port of the server this client talks to. */
    public int port() {
        return port;
    }

    public Reply get(String path) {
        return send(request(path).GET().build());
    }

    public Reply post(String path, String json) {
        return post(path, json, UUID.randomUUID().toString());
    }

    public Reply post(String path, String json, String idempotencyKey) {
        HttpRequest.Builder builder = request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (idempotencyKey != null) {
            builder.header("Idempotency-Key", idempotencyKey);
        }
        return send(builder.build());
    }

    public Reply patch(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)).build());
    }

    public Reply send(HttpRequest request) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            String contentType = response.headers().firstValue("Content-Type").orElse("");
            JsonNode json = contentType.contains("json") && !response.body().isEmpty()
                    ? JSON.readTree(response.body()) : null;
            return new Reply(response.statusCode(), contentType, response.body(), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (key != null) {
            builder.header("Authorization", "Bearer " + key);
        }
        return builder;
    }

    /** Enrols a member with a virtual card and returns the member's id. */
    public String enroll(String name) {
        return post("/api/v1/members", "{\"profile\":{\"name\":\"" + name + "\"},\"card\":\"VIRTUAL\"}")
                .expect(201).at("/member/id");
    }

    /** Asserts that the ledger audit of this client's server, over HTTP, finds no violation (needs an audit role). */
    public void assertLedgerBalanced() {
        Reply audit = get("/api/v1/ledger/audit").expect(200);
        assertEquals(true, audit.json.at("/balanced").asBoolean(), () -> "audit: " + audit.text);
        assertEquals(0, audit.number("/sumOfAllBalances"));
    }
}
