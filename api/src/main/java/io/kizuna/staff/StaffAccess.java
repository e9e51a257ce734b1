package io.kizuna.staff;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.kizuna.error.ErrorCode;
import io.kizuna.error.KizunaException;
import io.kizuna.persistence.Ids;
import io.kizuna.persistence.Transactions;
import io.kizuna.security.ApiKeys;
import io.kizuna.web.RequestIds;

/**
 * Staff authentication with API keys ({@code Authorization: Bearer kz_...}) and role checks. Keys are random
 * 256-bit secrets, so a SHA-256 of the key is a safe lookup; the key itself is never stored.
 */
public final class StaffAccess {
    private static final String KEY_PREFIX = "kz_";
    private static final int MIN_CONFIGURED_KEY_LENGTH = 24;

    private final Transactions transactions;
    private final AuditLog auditLog;
    private final Clock clock;

    public StaffAccess(Transactions transactions, AuditLog auditLog, Clock clock) {
        this.transactions = transactions;
        this.auditLog = auditLog;
        this.clock = clock;
    }

    /** A handler that runs only for an authenticated caller whose role has the permission. */
    public interface StaffHandler {
        void handle(ServerRequest request, ServerResponse response, Caller caller);
    }

    /** The authenticated caller of one request: who, and which request (for the audit log). */
    public record Caller(Staff staff, String requestId) {
        public String actor() {
            return staff.actor();
        }

        public AuditLog.Action action(String action, String target, String detail) {
            return new AuditLog.Action(staff, requestId, action, target, detail);
        }
    }

    public Handler require(Permission permission, StaffHandler handler) {
        return (request, response) -> {
            Staff staff = authenticate(request);
            if (!staff.role().allows(permission)) {
                throw new KizunaException(ErrorCode.FORBIDDEN,
                        "The " + staff.role().name().toLowerCase(java.util.Locale.ROOT) + " role cannot do this.");
            }
            handler.handle(request, response, new Caller(staff, RequestIds.of(request)));
        };
    }

    private Staff authenticate(ServerRequest request) {
        String header = request.headers().first(HeaderNames.AUTHORIZATION)
                .orElseThrow(() -> new KizunaException(ErrorCode.UNAUTHENTICATED,
                        "Send a staff API key as 'Authorization: Bearer <key>'."));
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new KizunaException(ErrorCode.UNAUTHENTICATED, "Only Bearer API keys are accepted.");
        }
        byte[] hash = hash(header.substring(7).strip());
        return transactions.inTransaction(em -> em.createQuery(
                        "SELECT c FROM StaffCredentialEntity c WHERE c.secretHash = :hash", StaffCredentialEntity.class)
                .setParameter("hash", hash)
                .getResultStream()
                .filter(credential -> !credential.isRevoked())
                .findFirst()
                .map(StaffCredentialEntity::staff))
                .orElseThrow(() -> new KizunaException(ErrorCode.UNAUTHENTICATED, "The API key is not valid."));
    }

    /** A new credential; the answer holds the key, which is never shown again. */
    public record IssuedCredential(CredentialView credential, String key) {
    }

    public IssuedCredential issue(Caller caller, String name, Role role) {
        validateName(name);
        String key = newKey();
        CredentialView view = transactions.inTransaction(em -> {
            StaffCredentialEntity credential =
                    new StaffCredentialEntity(Ids.next(), name, role, hash(key), clock.instant());
            em.persist(credential);
            auditLog.record(em, caller.action("staff.credential.issue", credential.view().id().toString(),
                    "role=" + role + " name=" + name));
            return credential.view();
        });
        return new IssuedCredential(view, key);
    }

    public CredentialView revoke(Caller caller, UUID id) {
        return transactions.inTransaction(em -> {
            StaffCredentialEntity credential = em.find(StaffCredentialEntity.class, id);
            if (credential == null) {
                throw new KizunaException(ErrorCode.CREDENTIAL_NOT_FOUND, "No credential has the id " + id + ".");
            }
            if (!credential.isRevoked()) {
                credential.revoke(clock.instant());
                auditLog.record(em, caller.action("staff.credential.revoke", id.toString(), null));
            }
            return credential.view();
        });
    }

    public List<CredentialView> list() {
        return transactions.inTransaction(em -> em.createQuery(
                        "SELECT c FROM StaffCredentialEntity c ORDER BY c.id", StaffCredentialEntity.class)
                .getResultStream()
                .map(StaffCredentialEntity::view)
                .toList());
    }

    /**
     * Makes sure a fresh install can be administered: when no admin credential exists, creates one from the
     * configured key, or from a new random key that is returned so that it can be shown once.
     */
    public Optional<String> bootstrapAdmin(Optional<String> configuredKey) {
        configuredKey.ifPresent(key -> {
            if (key.length() < MIN_CONFIGURED_KEY_LENGTH) {
                throw new IllegalArgumentException("kizuna.security.bootstrap-admin-key must be at least "
                        + MIN_CONFIGURED_KEY_LENGTH + " characters");
            }
        });
        return transactions.inTransaction(em -> {
            boolean hasAdmin = !em.createQuery("SELECT c FROM StaffCredentialEntity c WHERE c.role = :role"
                            + " AND c.revokedAt IS NULL", StaffCredentialEntity.class)
                    .setParameter("role", Role.ADMIN)
                    .setMaxResults(1)
                    .getResultList()
                    .isEmpty();
            if (hasAdmin) {
                return Optional.empty();
            }
            String key = configuredKey.orElseGet(StaffAccess::newKey);
            em.persist(new StaffCredentialEntity(Ids.next(), "bootstrap-admin", Role.ADMIN, hash(key),
                    clock.instant()));
            return configuredKey.isPresent() ? Optional.empty() : Optional.of(key);
        });
    }

    private static void validateName(String name) {
        if (name == null || name.isBlank() || name.length() > 100 || !name.matches("[A-Za-z0-9._@-]+")) {
            throw KizunaException.invalid("A credential name is 1 to 100 letters, digits or . _ @ -.");
        }
    }

    private static String newKey() {
        return ApiKeys.newKey(KEY_PREFIX);
    }

    private static byte[] hash(String key) {
        return ApiKeys.hash(key);
    }
}
