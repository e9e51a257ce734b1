package io.kizuna.member;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.kizuna.error.KizunaException;
import io.kizuna.ledger.Corrections;
import io.kizuna.ledger.PointsService;
import io.kizuna.ledger.TransferReceipt;
import io.kizuna.staff.Permission;
import io.kizuna.staff.StaffAccess.Caller;
import io.kizuna.staff.StaffAccess;
import io.kizuna.web.Http;
import io.kizuna.web.IdempotencyKey;

/** /api/v1/members: enrolment, profile, status, merges, and each member's points. */
public final class MemberHttpService implements HttpService {
    private final Members members;
    private final PointsService points;
    private final Corrections corrections;
    private final StaffAccess access;
    private final Http http;

    public MemberHttpService(Members members, PointsService points, Corrections corrections, StaffAccess access,
                             Http http) {
        this.members = members;
        this.points = points;
        this.corrections = corrections;
        this.access = access;
        this.http = http;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/members", access.require(Permission.WRITE_MEMBERS, this::enroll))
                .get("/members/{id}", access.require(Permission.READ_MEMBERS, this::get))
                .patch("/members/{id}", access.require(Permission.WRITE_MEMBERS, this::update))
                .post("/members/{id}/suspend", access.require(Permission.WRITE_MEMBERS, this::suspend))
                .post("/members/{id}/reactivate", access.require(Permission.WRITE_MEMBERS, this::reactivate))
                .post("/members/{id}/close", access.require(Permission.WRITE_MEMBERS, this::close))
                .post("/members/{id}/merge", access.require(Permission.WRITE_MEMBERS, this::merge))
                .get("/members/{id}/balance", access.require(Permission.READ_LEDGER, this::balance))
                .get("/members/{id}/transfers", access.require(Permission.READ_LEDGER, this::history))
                .post("/members/{id}/adjustments", access.require(Permission.WRITE_LEDGER, this::adjust));
    }

    record MergeRequest(MemberId mergedMemberId) {
    }

    record AdjustmentRequest(long points, String reason) {
    }

    private void enroll(ServerRequest request, ServerResponse response, Caller caller) {
        IdempotencyKey key = Http.idempotencyKey(request);
        Receipts.MemberReceipt receipt = members.enroll(caller, key, http.read(request, Members.Enrollment.class));
        http.send(response, receipt.replay() ? Status.OK_200 : Status.CREATED_201, receipt);
    }

    private void get(ServerRequest request, ServerResponse response, Caller caller) {
        http.ok(response, members.get(memberId(request)));
    }

    private void update(ServerRequest request, ServerResponse response, Caller caller) {
        Members.Change change = http.read(request, Members.Change.class);
        http.ok(response, members.update(caller, memberId(request), change));
    }

    private void suspend(ServerRequest request, ServerResponse response, Caller caller) {
        http.ok(response, members.changeStatus(caller, memberId(request), MemberStatus.SUSPENDED));
    }

    private void reactivate(ServerRequest request, ServerResponse response, Caller caller) {
        http.ok(response, members.changeStatus(caller, memberId(request), MemberStatus.ACTIVE));
    }

    private void close(ServerRequest request, ServerResponse response, Caller caller) {
        http.ok(response, members.changeStatus(caller, memberId(request), MemberStatus.CLOSED));
    }

    private void merge(ServerRequest request, ServerResponse response, Caller caller) {
        IdempotencyKey key = Http.idempotencyKey(request);
        MergeRequest body = http.read(request, MergeRequest.class);
        if (body.mergedMemberId() == null) {
            throw KizunaException.invalid("Name the member to merge in mergedMemberId.");
        }
        http.ok(response, members.merge(caller, key, memberId(request), body.mergedMemberId()));
    }

    private void balance(ServerRequest request, ServerResponse response, Caller caller) {
        http.ok(response, points.balance(members.walletOf(memberId(request))));
    }

    private void history(ServerRequest request, ServerResponse response, Caller caller) {
        http.ok(response, points.history(members.walletOf(memberId(request)),
                Http.query(request, "cursor").orElse(null), Http.intQuery(request, "limit", 50)));
    }

    private void adjust(ServerRequest request, ServerResponse response, Caller caller) {
        IdempotencyKey key = Http.idempotencyKey(request);
        AdjustmentRequest body = http.read(request, AdjustmentRequest.class);
        TransferReceipt receipt = corrections.adjust(caller, key, members.correctableWalletOf(memberId(request)),
                body.points(), body.reason());
        http.send(response, receipt.replay() ? Status.OK_200 : Status.CREATED_201, receipt);
    }

    private static MemberId memberId(ServerRequest request) {
        return MemberId.parse(request.path().pathParameters().get("id"));
    }
}
