package io.kizuna.staff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kizuna.testing.ApiClient.Reply;
import io.kizuna.testing.ApiClient;
import io.kizuna.testing.TestServer;
import org.junit.jupiter.api.Test;

class StaffAccessTest {
    private final ApiClient admin = TestServer.admin();

    @Test
    void eachRoleDoesWhatItIsForAndNothingElse() {
        String member = admin.enroll("Role Check");
        ApiClient auditor = TestServer.as(issue("auditor-1", "AUDITOR").at("/key"));
        ApiClient marketer = TestServer.as(issue("marketer-1", "MARKETER").at("/key"));

        auditor.get("/api/v1/ledger/audit").expect(200);
        auditor.get("/api/v1/audit-log").expect(200);
        auditor.get("/api/v1/members/" + member + "/balance").expect(200);
        auditor.get("/api/v1/members/" + member).problem(403, "forbidden");
        auditor.post("/api/v1/members", "{}").problem(403, "forbidden");

        marketer.get("/api/v1/members/" + member).expect(200);
        marketer.get("/api/v1/ledger/audit").problem(403, "forbidden");
        marketer.post("/api/v1/members/" + member + "/adjustments", "{\"points\": 1, \"reason\": \"x\"}")
                .problem(403, "forbidden");
        marketer.get("/api/v1/staff/credentials").problem(403, "forbidden");
    }

    @Test
    void keysAreShownOnceStoredHashedAndCanBeRevoked() {
        Reply issued = issue("temporary", "AUDITOR");
        String key = issued.at("/key");
        assertTrue(key.startsWith("kz_"));
        Reply listed = admin.get("/api/v1/staff/credentials").expect(200);
        assertFalse(listed.text().contains(key), "the key is never listed");

        ApiClient temporary = TestServer.as(key);
        temporary.get("/api/v1/ledger/audit").expect(200);
        admin.post("/api/v1/staff/credentials/" + issued.at("/credential/id") + "/revoke", "").expect(200);
        temporary.get("/api/v1/ledger/audit").problem(401, "unauthenticated");
    }

    @Test
    void adminActionsAreWrittenToTheAuditLog() {
        Reply issued = issue("logged", "MARKETER");
        Reply log = admin.get("/api/v1/audit-log?limit=1").expect(200);
        assertEquals("staff.credential.issue", log.at("/0/action"));
        assertEquals(issued.at("/credential/id"), log.at("/0/target"));
        assertEquals("admin:bootstrap-admin", log.at("/0/actor"));
        assertFalse(log.at("/0/requestId").isEmpty());
    }

    private Reply issue(String name, String role) {
        return admin.post("/api/v1/staff/credentials",
                "{\"name\": \"" + name + "-" + System.nanoTime() + "\", \"role\": \"" + role + "\"}").expect(201);
    }
}
