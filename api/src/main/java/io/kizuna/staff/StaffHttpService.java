package io.kizuna.staff;

import java.util.UUID;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.kizuna.error.ErrorCode;
import io.kizuna.error.KizunaException;
import io.kizuna.staff.StaffAccess.Caller;
import io.kizuna.web.Http;

/** /api/v1/staff and /api/v1/audit-log: staff credentials and the record of what staff did. */
public final class StaffHttpService implements HttpService {
    private final StaffAccess access;
    private final AuditLog auditLog;
    private final Http http;

    public StaffHttpService(StaffAccess access, AuditLog auditLog, Http http) {
        this.access = access;
        this.auditLog = auditLog;
        this.http = http;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/staff/credentials", access.require(Permission.MANAGE_STAFF, this::list))
                .post("/staff/credentials", access.require(Permission.MANAGE_STAFF, this::issue))
                .post("/staff/credentials/{id}/revoke", access.require(Permission.MANAGE_STAFF, this::revoke))
                .get("/audit-log", access.require(Permission.AUDIT, this::auditLog));
    }

    record IssueRequest(String name, Role role) {
    }

    private void issue(ServerRequest request, ServerResponse response, Caller caller) {
        IssueRequest body = http.read(request, IssueRequest.class);
        if (body.role() == null) {
            throw KizunaException.invalid("A credential needs a role: ADMIN, MARKETER or AUDITOR.");
        }
        http.send(response, Status.CREATED_201, access.issue(caller, body.name(), body.role()));
    }

    private void list(ServerRequest request, ServerResponse response, Caller caller) {
        http.ok(response, access.list());
    }

    private void revoke(ServerRequest request, ServerResponse response, Caller caller) {
        http.ok(response, access.revoke(caller, credentialId(request)));
    }

    private void auditLog(ServerRequest request, ServerResponse response, Caller caller) {
        http.ok(response, auditLog.list(Http.query(request, "before").orElse(null),
                Http.intQuery(request, "limit", 50)));
    }

    private static UUID credentialId(ServerRequest request) {
        String id = request.path().pathParameters().get("id");
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new KizunaException(ErrorCode.CREDENTIAL_NOT_FOUND, "No credential has the id " + id + ".");
        }
    }
}
