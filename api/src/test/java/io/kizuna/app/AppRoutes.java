package io.kizuna.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.kizuna.testing.ApiClient;
import io.kizuna.testing.TestServer;
import org.yaml.snakeyaml.Yaml;

/** The /app/v1 operations as the served OpenAPI document lists them, so that no test can forget a new route. */
final class AppRoutes {
    private AppRoutes() {
    }

    /** "METHOD /app/v1/..." of every documented operation. */
    @SuppressWarnings("unchecked")
    static Set<String> documented() {
        ApiClient anonymous = TestServer.as(null);
        Map<String, Object> openapi = new Yaml().load(anonymous.get("/openapi").expect(200).text());
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) openapi.get("paths");
        Set<String> routes = new TreeSet<>();
        paths.forEach((path, operations) -> {
            if (path.startsWith("/app/v1/")) {
                operations.keySet().stream().filter(method -> !method.equals("parameters"))
                        .forEach(method -> routes.add(method.toUpperCase(java.util.Locale.ROOT) + " " + path));
            }
        });
        return routes;
    }

    /** The routes open without a token: sign-up, sign-in and refresh, and nothing else. */
    static final Set<String> OPEN = Set.of("POST /app/v1/accounts", "POST /app/v1/sessions",
            "POST /app/v1/sessions/refresh");

    static void assertCovers(Set<String> covered, String what) {
        assertEquals(documented(), new TreeSet<>(covered), what + " covers every documented /app/v1 route");
    }

    static String method(String route) {
        return route.substring(0, route.indexOf(' '));
    }

    static String path(String route) {
        return route.substring(route.indexOf(' ') + 1);
    }

    static List<String> sorted(Set<String> routes) {
        return List.copyOf(new TreeSet<>(routes));
    }
}
