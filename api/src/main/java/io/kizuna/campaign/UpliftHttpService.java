package io.kizuna.campaign;

import java.util.Set;
import java.util.UUID;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.kizuna.analytics.ReportResponses;
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
    private final ReportResponses responses;

    public UpliftHttpService(UpliftReport uplift, StaffAccess access, Http http) {
        this.uplift = uplift;
        this.access = access;
        this.responses = new ReportResponses(http);
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
        boolean csv = ReportResponses.wantsCsv(request);
        responses.send(response, uplift.report(id(request), followUpDays(request)), csv);
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

    /** A malformed id names no campaign: 404, as on the campaign's own routes. */
    private static UUID id(ServerRequest request) {
        try {
            return UUID.fromString(request.path().pathParameters().get("id"));
        } catch (IllegalArgumentException e) {
            throw new KizunaException(ErrorCode.NOT_FOUND, "There is no campaign with this id.");
        }
    }
}
