package io.kizuna.web;

import java.util.UUID;
import java.util.regex.Pattern;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.logging.common.HelidonMdc;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;

/** Gives every request an id (the caller's X-Request-Id if sane), echoes it, and puts it in every log line. */
public final class RequestIds implements Filter {
    public static final HeaderName HEADER = HeaderNames.create("X-Request-Id");
    private static final String CONTEXT_KEY = "kizuna.request-id";
    private static final String MDC_KEY = "request.id";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        String id = request.headers().first(HEADER).filter(value -> SANE.matcher(value).matches())
                .orElseGet(() -> UUID.randomUUID().toString());
        request.context().register(CONTEXT_KEY, id);
        response.header(HEADER, id);
        HelidonMdc.set(MDC_KEY, id);
        try {
            chain.proceed();
        } finally {
            HelidonMdc.remove(MDC_KEY);
        }
    }

    public static String of(ServerRequest request) {
        return request.context().get(CONTEXT_KEY, String.class).orElse("-");
    }
}
