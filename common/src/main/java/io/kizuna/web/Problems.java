package io.kizuna.web;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.kizuna.error.ErrorCode;
import io.kizuna.error.KizunaException;

/**
 * The one place where errors become responses: RFC 9457 {@code application/problem+json} with the stable code
 * from {@link ErrorCode}. Unexpected failures are logged with their request id (exception types and stack
 * frames only: messages of driver exceptions can carry data) and answered with a bare 500.
 */
public final class Problems {
    public static final String PROBLEM_JSON = "application/problem+json";
    private static final String TYPE_BASE = "https://kizuna.dev/problems/";
    private static final System.Logger LOG = System.getLogger(Problems.class.getName());

    private final ObjectMapper json;

    public Problems(ObjectMapper json) {
        this.json = json;
    }

    public void register(HttpRouting.Builder routing) {
        routing.error(KizunaException.class, (request, response, error) ->
                send(request, response, error.code(), error.getMessage()));
        routing.error(Throwable.class, (request, response, error) -> {
            LOG.log(System.Logger.Level.ERROR, "Unexpected failure of request " + RequestIds.of(request)
                    + ": " + Throwables.describe(error));
            send(request, response, ErrorCode.INTERNAL_ERROR,
                    "Quote request id " + RequestIds.of(request) + " when you report this.");
        });
    }

    public void send(ServerRequest request, ServerResponse response, ErrorCode code, String detail) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", TYPE_BASE + code.code());
        problem.put("title", code.title());
        problem.put("status", code.status());
        problem.put("detail", detail);
        problem.put("instance", request.path().absolute().path());
        problem.put("code", code.code());
        problem.put("requestId", RequestIds.of(request));
        try {
            response.status(Status.create(code.status()));
            response.header(HeaderNames.CONTENT_TYPE, PROBLEM_JSON);
            response.send(json.writeValueAsBytes(problem));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write a problem", e);
        }
    }
}
