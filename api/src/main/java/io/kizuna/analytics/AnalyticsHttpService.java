package io.kizuna.analytics;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.kizuna.error.ErrorCode;
import io.kizuna.error.KizunaException;
import io.kizuna.staff.Permission;
import io.kizuna.staff.StaffAccess;
import io.kizuna.staff.StaffAccess.Caller;
import io.kizuna.web.Http;

/**
 * /api/v1/analytics: the CRM reports as JSON, or as CSV with {@code ?format=csv} or {@code Accept: text/csv}, and
 * the background recompute of the heavy ones. Every report says {@code asOf} (the last event the projections
 * applied); the computed ones also {@code computedAt}. Unknown or bad query parameters are refused.
 */
public final class AnalyticsHttpService implements HttpService {
    private static final int MAX_PAGE = 1_000;
    private static final Set<Slice> SALE_SLICES = EnumSet.of(Slice.ALL, Slice.AGE_BAND, Slice.GENDER, Slice.REGION,
            Slice.STORE, Slice.TIER);
    /** Reports over members slice by store as the member's first store. */
    private static final Set<Slice> MEMBER_SLICES = SALE_SLICES;
    /** Cohorts are counted by the recompute for each of its slices; tiers change too often to be one of them. */
    private static final Set<Slice> COHORT_SLICES = EnumSet.copyOf(Cohorts.SLICES);

    private final Analytics analytics;
    private final StaffAccess access;
    private final Http http;
    private final ReportResponses responses;

    public AnalyticsHttpService(Analytics analytics, StaffAccess access, Http http) {
        this.analytics = analytics;
        this.access = access;
        this.http = http;
        this.responses = new ReportResponses(http);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/analytics/kpis", read(this::kpis))
                .get("/analytics/heatmap", read(this::heatmap))
                .get("/analytics/price-bands", read(this::priceBands))
                .get("/analytics/drop-off", read(this::dropOff))
                .get("/analytics/cohorts", read(this::cohorts))
                .get("/analytics/rfm", read(this::rfm))
                .get("/analytics/rfm/members", read(this::rfmMembers))
                .get("/analytics/cross-sell", read(this::crossSell))
                .get("/analytics/clv", read(this::clv))
                .get("/analytics/clv/members", read(this::clvMembers))
                .get("/analytics/nps", read(this::nps))
                .post("/analytics/recomputes", access.require(Permission.READ_ANALYTICS, this::startRecompute))
                .get("/analytics/recomputes/{id}", access.require(Permission.READ_ANALYTICS, this::recompute));
    }

    @FunctionalInterface
    private interface ReportHandler {
        Report report(ServerRequest request);
    }

    private io.helidon.webserver.http.Handler read(ReportHandler handler) {
        return access.require(Permission.READ_ANALYTICS, (request, response, caller) -> {
            boolean csv = ReportResponses.wantsCsv(request);
            responses.send(response, handler.report(request), csv);
        });
    }

    private Report kpis(ServerRequest request) {
        allow(request, "by", "from", "to");
        LocalDate to = date(request, "to").orElse(analytics.live.today());
        return analytics.live.kpis(slice(request, SALE_SLICES), period(request, to.minusDays(29), to));
    }

    private Report heatmap(ServerRequest request) {
        allow(request, "by", "from", "to");
        return analytics.live.heatmap(slice(request, SALE_SLICES), allTime(request));
    }

    private Report priceBands(ServerRequest request) {
        allow(request, "by", "from", "to");
        return analytics.live.priceBands(slice(request, SALE_SLICES), allTime(request));
    }

    private Report dropOff(ServerRequest request) {
        allow(request, "by");
        return analytics.live.dropOff(slice(request, MEMBER_SLICES));
    }

    private Report cohorts(ServerRequest request) {
        allow(request, "by");
        return analytics.stored.cohorts(slice(request, COHORT_SLICES));
    }

    private Report nps(ServerRequest request) {
        allow(request, "by");
        return analytics.live.nps(slice(request, MEMBER_SLICES));
    }

    private Report rfm(ServerRequest request) {
        allow(request, "by");
        return analytics.stored.rfm(slice(request, MEMBER_SLICES));
    }

    private Report rfmMembers(ServerRequest request) {
        allow(request, "segment", "after", "limit");
        Optional<RfmSegment> segment = Http.query(request, "segment").map(AnalyticsHttpService::segment);
        return analytics.stored.rfmMembers(segment, after(request), limit(request));
    }

    private Report clv(ServerRequest request) {
        allow(request, "by");
        return analytics.stored.clv(slice(request, MEMBER_SLICES));
    }

    private Report clvMembers(ServerRequest request) {
        allow(request, "after", "limit");
        return analytics.stored.clvMembers(after(request), limit(request));
    }

    private Report crossSell(ServerRequest request) {
        allow(request, "by", "minSupport", "minConfidence");
        String kind = Http.query(request, "by").orElse("category");
        if (!kind.equals("sku") && !kind.equals("category")) {
            throw KizunaException.invalid("Cross-sell baskets are by 'sku' or 'category', not '" + kind + "'.");
        }
        return analytics.stored.crossSell(kind, share(request, "minSupport", false),
                share(request, "minConfidence", true));
    }

    private void startRecompute(ServerRequest request, ServerResponse response, Caller caller) {
        allow(request);
        Recomputes.Run run = analytics.recomputes.start();
        response.header(HeaderNames.LOCATION, "/api/v1/analytics/recomputes/" + run.id());
        http.send(response, Status.ACCEPTED_202, run);
    }

    private void recompute(ServerRequest request, ServerResponse response, Caller caller) {
        allow(request);
        UUID id = uuid(request.path().pathParameters().get("id"), "recompute id");
        http.ok(response, analytics.recomputes.find(id).orElseThrow(() -> new KizunaException(ErrorCode.NOT_FOUND,
                "No analytics recompute has the id " + id + ".")));
    }

    /** Refuses query parameters the route does not know ({@code format} is known everywhere). */
    private static void allow(ServerRequest request, String... names) {
        Set<String> known = new java.util.HashSet<>(Set.of(names));
        known.add("format");
        for (String name : request.query().names()) {
            if (!known.contains(name)) {
                throw KizunaException.invalid("Unknown query parameter '" + name + "'.");
            }
        }
    }

    private static Slice slice(ServerRequest request, Set<Slice> allowed) {
        return Slice.parse(Http.query(request, "by").orElse(null), allowed);
    }

    private static LiveReports.Period allTime(ServerRequest request) {
        return period(request, LocalDate.of(1970, 1, 1), LocalDate.of(9999, 12, 31));
    }

    private static LiveReports.Period period(ServerRequest request, LocalDate defaultFrom, LocalDate defaultTo) {
        LocalDate from = date(request, "from").orElse(defaultFrom);
        LocalDate to = date(request, "to").orElse(defaultTo);
        if (from.isAfter(to)) {
            throw KizunaException.invalid("from (" + from + ") must not be after to (" + to + ").");
        }
        return new LiveReports.Period(from, to);
    }

    private static Optional<LocalDate> date(ServerRequest request, String name) {
        return Http.query(request, name).map(text -> {
            try {
                return LocalDate.parse(text);
            } catch (DateTimeParseException e) {
                throw KizunaException.invalid(name + " must be a date like 2026-04-01.");
            }
        });
    }

    private static Optional<Double> share(ServerRequest request, String name, boolean zeroAllowed) {
        return Http.query(request, name).map(text -> {
            try {
                double value = Double.parseDouble(text);
                if ((zeroAllowed ? value >= 0 : value > 0) && value <= 1) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // refused below
            }
            throw KizunaException.invalid(name + " must be a number " + (zeroAllowed ? "from 0" : "above 0")
                    + " up to 1.");
        });
    }

    private static int limit(ServerRequest request) {
        int limit = Http.intQuery(request, "limit", 100);
        if (limit < 1 || limit > MAX_PAGE) {
            throw KizunaException.invalid("limit must be 1 to " + MAX_PAGE + ".");
        }
        return limit;
    }

    private static Optional<UUID> after(ServerRequest request) {
        return Http.query(request, "after").map(text -> uuid(text, "after"));
    }

    private static UUID uuid(String text, String what) {
        try {
            if (text.length() == 36) {
                return UUID.fromString(text);
            }
        } catch (IllegalArgumentException e) {
            // refused below
        }
        throw KizunaException.invalid(what + " must be a UUID.");
    }

    private static RfmSegment segment(String text) {
        for (RfmSegment segment : RfmSegment.values()) {
            if (segment.name().equals(text)) {
                return segment;
            }
        }
        throw KizunaException.invalid("segment must be one of " + java.util.Arrays.toString(RfmSegment.values())
                + ".");
    }
}
