package io.kizuna.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import io.kizuna.error.ErrorCode;
import io.kizuna.testing.ApiClient.Reply;
import io.kizuna.testing.ApiClient;
import io.kizuna.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

class ObserveAndOpenApiTest {
    private final ApiClient anonymous = TestServer.as(null);

    @Test
    void healthIsUpAndIncludesTheDatabase() {
        Reply health = anonymous.get("/observe/health").expect(200);
        assertEquals("UP", health.at("/status"));
        boolean databaseUp = false;
        for (var check : health.json().at("/checks")) {
            databaseUp |= "database".equals(check.at("/name").asText()) && "UP".equals(check.at("/status").asText());
        }
        assertTrue(databaseUp, health.text());
    }

    @Test
    void metricsAreServedInPrometheusFormat() {
        Reply metrics = anonymous.send(anonymous.request("/observe/metrics").header("Accept", "text/plain").GET()
                .build()).expect(200);
        assertTrue(metrics.text().contains("# TYPE"), () -> metrics.text().substring(0, 200));
    }

    @Test
    void everyRequestCarriesAnIdThatProblemsQuote() {
        Reply reply = anonymous.send(anonymous.request("/api/v1/members/" + UUID.randomUUID())
                .header("X-Request-Id", "till-42-abc").GET().build());
        reply.problem(401, "unauthenticated");
        assertEquals("till-42-abc", reply.at("/requestId"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyDocumentedOperationExistsAndNeedsCredentials() {
        Reply document = anonymous.get("/openapi").expect(200);
        Map<String, Object> openapi = new Yaml().load(document.text());
        assertEquals("3.1.0", openapi.get("openapi"));
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) openapi.get("paths");
        int operations = 0;
        for (var path : paths.entrySet()) {
            String concrete = path.getKey()
                    .replace("{memberId}", UUID.randomUUID().toString())
                    .replace("{transferId}", UUID.randomUUID().toString())
                    .replace("{credentialId}", UUID.randomUUID().toString())
                    .replace("{cardNumber}", "2901234567896")
                    .replace("{terminalId}", UUID.randomUUID().toString())
                    .replace("{holdId}", UUID.randomUUID().toString())
                    .replace("{storeCode}", "S1")
                    .replace("{sku}", "4901234567894")
                    .replace("{webhookId}", UUID.randomUUID().toString())
                    .replace("{recomputeId}", UUID.randomUUID().toString())
                    .replace("{segmentId}", UUID.randomUUID().toString())
                    .replace("{campaignId}", UUID.randomUUID().toString())
                    .replace("{offerId}", UUID.randomUUID().toString());
            for (String method : path.getValue().keySet()) {
                if (method.equals("parameters")) {
                    continue;
                }
                operations++;
                Reply reply = anonymous.send(anonymous.request(concrete)
                        .method(method.toUpperCase(java.util.Locale.ROOT),
                                java.net.http.HttpRequest.BodyPublishers.noBody()).build());
                Object security = ((Map<String, Object>) path.getValue().get(method)).get("security");
                if (security instanceof List<?> schemes && schemes.isEmpty()) {
                    reply.problem(400, "malformed_json"); // open routes (app sign-up, sign-in, refresh) exist
                } else {
                    reply.problem(401, "unauthenticated");
                }
            }
        }
        assertEquals(101, operations, "every /api/v1, /pos/v1 and /app/v1 operation is documented");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theDocumentedErrorCodesAreExactlyTheErrorTable() {
        Map<String, Object> openapi = new Yaml().load(anonymous.get("/openapi").text());
        Map<String, Object> problem = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                openapi.get("components")).get("schemas")).get("Problem");
        List<String> documented = (List<String>) ((Map<String, Object>) ((Map<String, Object>)
                problem.get("properties")).get("code")).get("enum");
        Set<String> table = Arrays.stream(ErrorCode.values()).map(ErrorCode::code)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(table, new TreeSet<>(documented));
    }
}
