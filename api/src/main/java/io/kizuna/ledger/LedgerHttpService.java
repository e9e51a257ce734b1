package io.kizuna.ledger;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.kizuna.staff.Permission;
import io.kizuna.staff.StaffAccess.Caller;
import io.kizuna.staff.StaffAccess;
import io.kizuna.web.Http;

/** /api/v1/ledger and /api/v1/transfers: the audit, the expiry job on demand, single transfers and reversals. */
public final class LedgerHttpService implements HttpService {
    private final PointsService points;
    private final Corrections corrections;
    private final LedgerAudit audit;
    private final StaffAccess access;
    private final Http http;

    public LedgerHttpService(PointsService points, Corrections corrections, LedgerAudit audit, StaffAccess access,
                             Http http) {
        this.points = points;
        this.corrections = corrections;
        this.audit = audit;
        this.access = access;
        this.http = http;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/ledger/audit", access.require(Permission.AUDIT, this::audit))
                .post("/ledger/expiry-runs", access.require(Permission.WRITE_LEDGER, this::runExpiry))
                .get("/transfers/{id}", access.require(Permission.READ_LEDGER, this::transfer))
                .post("/transfers/{id}/reversals", access.require(Permission.WRITE_LEDGER, this::reverse));
    }

    record ReversalRequest(Long points, String reason) {
    }

    private void audit(ServerRequest request, ServerResponse response, Caller caller) {
        http.ok(response, audit.run());
    }

    private void runExpiry(ServerRequest request, ServerResponse response, Caller caller) {
        http.ok(response, points.runExpiry());
    }

    private void transfer(ServerRequest request, ServerResponse response, Caller caller) {
        http.ok(response, points.transfer(transferId(request)));
    }

    private void reverse(ServerRequest request, ServerResponse response, Caller caller) {
        var key = Http.idempotencyKey(request);
        ReversalRequest body = http.read(request, ReversalRequest.class);
        Points amount = body.points() == null ? null : Points.of(body.points());
        TransferReceipt receipt = corrections.reverse(caller, key, transferId(request), amount, body.reason());
        http.send(response, receipt.replay() ? Status.OK_200 : Status.CREATED_201, receipt);
    }

    private static TransferId transferId(ServerRequest request) {
        return TransferId.parse(request.path().pathParameters().get("id"));
    }
}
