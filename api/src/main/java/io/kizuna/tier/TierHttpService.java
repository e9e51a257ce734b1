package io.kizuna.tier;

import java.util.List;
import java.util.UUID;

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

/** /api/v1/tiers: the program's tiers, their simulation, reviews, and where a member stands. */
public final class TierHttpService implements HttpService {
    private static final int MAX_LIMIT = 1_000;

    private final Tiers tiers;
    private final TierReview review;
    private final TierSimulation simulation;
    private final StaffAccess access;
    private final Http http;

    public TierHttpService(Tiers tiers, TierReview review, StaffAccess access, Http http) {
        this.tiers = tiers;
        this.review = review;
        this.simulation = new TierSimulation(tiers);
        this.access = access;
        this.http = http;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/tiers", access.require(Permission.READ_MEMBERS, this::list))
                .put("/tiers", access.require(Permission.MANAGE_PROGRAM, this::replace))
                .post("/tiers/simulations", access.require(Permission.MANAGE_PROGRAM, this::simulate))
                .post("/tiers/reviews", access.require(Permission.MANAGE_PROGRAM, this::review))
                .get("/tiers/members/{memberId}", access.require(Permission.READ_MEMBERS, this::member))
                .get("/tiers/segments/{segment}", access.require(Permission.READ_MEMBERS, this::segment));
    }

    /** The whole ordered list, as GET answers and PUT and simulations take it. */
    record TierList(List<TierDefinition> tiers) {
    }

    record MemberTier(TierStanding standing, List<TierChange> history) {
    }

    record SegmentPage(String segment, List<TierStanding> members) {
    }

    private void list(ServerRequest request, ServerResponse response, Caller caller) {
        http.ok(response, new TierList(tiers.ladder().tiers()));
    }

    private void replace(ServerRequest request, ServerResponse response, Caller caller) {
        TierList body = http.read(request, TierList.class);
        http.ok(response, new TierList(tiers.replace(caller, body.tiers()).tiers()));
    }

    private void simulate(ServerRequest request, ServerResponse response, Caller caller) {
        TierList body = http.read(request, TierList.class);
        http.ok(response, simulation.simulate(body.tiers()));
    }

    private void review(ServerRequest request, ServerResponse response, Caller caller) {
        http.ok(response, review.run("API"));
    }

    private void member(ServerRequest request, ServerResponse response, Caller caller) {
        UUID member = memberId(request.path().pathParameters().get("memberId"));
        http.ok(response, new MemberTier(tiers.standing(member), tiers.history(member)));
    }

    private void segment(ServerRequest request, ServerResponse response, Caller caller) {
        String name = request.path().pathParameters().get("segment");
        Tiers.Segment segment = switch (name) {
            case "at-risk" -> Tiers.Segment.AT_RISK;
            case "close-to-upgrade" -> Tiers.Segment.CLOSE_TO_UPGRADE;
            default -> throw new KizunaException(ErrorCode.NOT_FOUND, "There is no tier segment " + name
                    + "; there are at-risk and close-to-upgrade.");
        };
        int limit = Http.intQuery(request, "limit", 100);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw KizunaException.invalid("limit must be 1 to " + MAX_LIMIT + ".");
        }
        UUID after = Http.query(request, "after").map(TierHttpService::memberId).orElse(null);
        http.ok(response, new SegmentPage(name, tiers.segment(segment, after, limit)));
    }

    private static UUID memberId(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new KizunaException(ErrorCode.MEMBER_NOT_FOUND, "No member has the id " + text + ".");
        }
    }
}
