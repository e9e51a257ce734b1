package io.kizuna.campaign;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.kizuna.analytics.AnalyticsHttpService;
import io.kizuna.analytics.Report;
import io.kizuna.error.ErrorCode;
import io.kizuna.error.KizunaException;
import io.kizuna.staff.Permission;
import io.kizuna.staff.StaffAccess;
import io.kizuna.staff.StaffAccess.Caller;
import io.kizuna.web.Http;

/**
 * GET /api/v1/campaigns/{id}/uplift: a campaign's treatment against control (READ_ANALYTICS), as JSON or, with
 * {@code ?format=csv} or {@code Accept: text/csv}, as CSV, like the analytics reports. {@code followUpDays}
 * overrides the configured follow-up; unknown or bad query parameters are a 400.
 */
public final class UpliftHttpService implements HttpService {
    private static final Set<String> PARAMETERS = Set.of("format", "followUpDays");

    private final UpliftReport uplift;
    private final StaffAccess access;
    /** Writes every cell, null ones too, so that each JSON row has every column, as the CSV does. */
    private final ObjectMapper reportJson;

    public UpliftHttpService(UpliftReport uplift, StaffAccess access, Http http) {
        this.uplift = uplift;
        this.access = access;
        this.reportJson = http.mapper().copy().setSerializationInclusion(JsonInclude.Include.ALWAYS);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/campaigns/{id}/uplift", access.require(Permission.READ_ANALYTICS, this::uplift));
    }

    private void uplift(ServerRequest request, ServerResponse response, Caller caller) {
        for (String name : request.query().names()) {
            if (!PARAMETERS.contains(name)) {
                throw KizunaException.invalid("Unknown query parameter '" + name + "'.");
            }
        }
        boolean csv = wantsCsv(request);
        Report report = uplift.report(id(request), followUpDays(request));
        if (csv) {
            response.header(HeaderNames.CONTENT_TYPE, AnalyticsHttpService.CSV);
            response.send(report.csv().getBytes(StandardCharsets.UTF_8));
        } else {
            response.header(HeaderNames.CONTENT_TYPE, Http.JSON);
            response.send(json(report));
        }
    }

    private byte[] json(Report report) {
        try {
            return reportJson.writeValueAsBytes(report.json());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A report cannot be written as JSON", e);
        }
    }

    private static Integer followUpDays(ServerRequest request) {
        if (Http.query(request, "followUpDays").isEmpty()) {
            return null;
        }
        int days = Http.intQuery(request, "followUpDays", 0);
        if (days < 0 || days > UpliftConfig.MAX_FOLLOW_UP_DAYS) {
            throw KizunaException.invalid("followUpDays must be 0 to " + UpliftConfig.MAX_FOLLOW_UP_DAYS + ".");
        }
        return days;
    }

    /** CSV when asked by {@code ?format=csv}, or by an Accept header that names text/csv and no JSON. */
    private static boolean wantsCsv(ServerRequest request) {
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

    /** A malformed id names no campaign: 404, as on the campaign's own routes. */
    private static UUID id(ServerRequest request) {
        try {
            return UUID.fromString(request.path().pathParameters().get("id"));
        } catch (IllegalArgumentException e) {
            throw new KizunaException(ErrorCode.NOT_FOUND, "There is no campaign with this id.");
        }
    }
}
