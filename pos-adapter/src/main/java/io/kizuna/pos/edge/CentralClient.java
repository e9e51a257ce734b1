package io.kizuna.pos.edge;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kizuna.error.ErrorCode;
import io.kizuna.error.KizunaException;

/**
 * The central Kizuna's /pos/v1, over HTTP, on behalf of one terminal key. A problem answer becomes the same
 * {@link KizunaException} the central server raised (the central refused: retrying will not help); anything else
 * that goes wrong (no connection, a 5xx, a timeout) is {@link CentralUnavailableException}.
 */
final class CentralClient {
    private final HttpClient http;
    private final URI central;
    private final ObjectMapper json;
    private final Duration requestTimeout;

    CentralClient(URI central, ObjectMapper json, Duration requestTimeout) {
        this.http = HttpClient.newBuilder().connectTimeout(requestTimeout).build();
        this.central = central;
        this.json = json;
        this.requestTimeout = requestTimeout;
    }

    <T> T get(String path, String terminalKey, Class<T> answer) {
        return send(request(path, terminalKey).GET().build(), answer);
    }

    <T> T post(String path, String terminalKey, Object body, Class<T> answer) {
        try {
            HttpRequest request = request(path, terminalKey).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body))).build();
            return send(request, answer);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("Cannot write a request for the central server", e);
        }
    }

    private HttpRequest.Builder request(String path, String terminalKey) {
        return HttpRequest.newBuilder(central.resolve(path)).timeout(requestTimeout)
                .header("Authorization", "Bearer " + terminalKey);
    }

    private <T> T send(HttpRequest request, Class<T> answer) {
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new CentralUnavailableException("The central server did not answer: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CentralUnavailableException("Interrupted while waiting for the central server");
        }
        int status = response.statusCode();
        try {
            if (status >= 200 && status < 300) {
                return json.readValue(response.body(), answer);
            }
            if (status >= 400 && status < 500) {
                throw refusal(json.readTree(response.body()));
            }
        } catch (IOException e) {
            throw new CentralUnavailableException("The central server answered something unreadable");
        }
        throw new CentralUnavailableException("The central server answered " + status);
    }

    private static KizunaException refusal(JsonNode problem) {
        ErrorCode code = ErrorCode.ofCode(problem.path("code").asText()).orElse(ErrorCode.INVALID_REQUEST);
        return new KizunaException(code, problem.path("detail").asText(code.title()));
    }
}
