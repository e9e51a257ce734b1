package io.kizuna.analytics;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.kizuna.error.KizunaException;
import io.kizuna.web.Http;

/**
 * Sends a {@link Report} as the caller asked: CSV for {@code ?format=csv} or an Accept header that names text/csv
 * and no JSON, JSON otherwise. JSON writes every cell, null ones too, so that each row has every column, as the CSV
 * does. Shared by every HTTP service that answers reports.
 */
public final class ReportResponses {
    public static final String CSV = "text/csv; charset=utf-8";

    private final ObjectMapper reportJson;

    public ReportResponses(Http http) {
        this.reportJson = http.mapper().copy().setSerializationInclusion(JsonInclude.Include.ALWAYS);
    }

    /** Whether the answer is CSV; a bad {@code format} is a 400 before any work is done. */
    public static boolean wantsCsv(ServerRequest request) {
        Optional<String> format = Http.query(request, "format");
        if (format.isPresent()) {
            return switch (format.get()) {
                case "csv" -> true;
                case "json" -> false;
                default -> throw KizunaException.invalid("format is 'json' or 'csv', not '" + format.get() + "'.");
            };
        }
        String accept = request.headers().first(HeaderNames.ACCEPT).orElse("").toLowerCase(Locale.ROOT);
        return accept.contains("text/csv") && !accept.contains("json");
    }

    public void send(ServerResponse response, Report report, boolean csv) {
        if (csv) {
            response.header(HeaderNames.CONTENT_TYPE, CSV);
            response.send(report.csv().getBytes(StandardCharsets.UTF_8));
            return;
        }
        response.header(HeaderNames.CONTENT_TYPE, Http.JSON);
        try {
            response.send(reportJson.writeValueAsBytes(report.json()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A report cannot be written as JSON", e);
        }
    }
}
