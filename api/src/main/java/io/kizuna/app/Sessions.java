package io.kizuna.app;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import io.kizuna.app.AppProtocol.AppSession;
import io.kizuna.app.AppProtocol.SessionInfo;
import io.kizuna.app.AppProtocol.Tokens;
import io.kizuna.db.UuidConverter;
import io.kizuna.error.ErrorCode;
import io.kizuna.error.KizunaException;
import io.kizuna.persistence.Ids;
import jakarta.persistence.EntityManager;

/**
 * App sessions: an access token names its session, so that revoking the session stops the token at once; the
 * refresh token is 256 random bits stored as SHA-256 and replaced on every use, so a stolen old one is worthless.
 */
final class Sessions {
    private static final String REFRESH_PREFIX = "kzr_";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final AccessTokens tokens;
    private final AppConfig config;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    Sessions(AccessTokens tokens, AppConfig config, Clock clock) {
        this.tokens = tokens;
        this.config = config;
        this.clock = clock;
    }

    Tokens open(EntityManager em, UUID memberId) {
        UUID sessionId = Ids.next();
        String refresh = newRefreshToken();
        Instant now = clock.instant();
        Instant refreshExpiresAt = now.plus(config.refreshTokenTtl());
        em.createNativeQuery("INSERT INTO app_session (id, member_id, refresh_hash, created_at, refreshed_at,"
                        + " expires_at) VALUES (?1, ?2, ?3, ?4, ?4, ?5)")
                .setParameter(1, UuidConverter.toBytes(sessionId))
                .setParameter(2, UuidConverter.toBytes(memberId))
                .setParameter(3, FailedAttempts.hash(refresh))
                .setParameter(4, utc(now))
                .setParameter(5, utc(refreshExpiresAt))
                .executeUpdate();
        return tokens(memberId, sessionId, refresh, refreshExpiresAt);
    }

    Tokens refresh(EntityManager em, String refreshToken) {
        if (refreshToken == null || !refreshToken.startsWith(REFRESH_PREFIX) || refreshToken.length() > 100) {
            throw refused();
        }
        List<?> rows = em.createNativeQuery("SELECT id, member_id FROM app_session WHERE refresh_hash = ?1"
                        + " AND revoked_at IS NULL AND expires_at > ?2 FOR UPDATE")
                .setParameter(1, FailedAttempts.hash(refreshToken))
                .setParameter(2, utc(clock.instant()))
                .getResultList();
        if (rows.isEmpty()) {
            throw refused();
        }
        Object[] row = (Object[]) rows.getFirst();
        UUID sessionId = UuidConverter.fromBytes((byte[]) row[0]);
        UUID memberId = UuidConverter.fromBytes((byte[]) row[1]);
        String next = newRefreshToken();
        Instant now = clock.instant();
        Instant expiresAt = now.plus(config.refreshTokenTtl());
        em.createNativeQuery("UPDATE app_session SET refresh_hash = ?1, refreshed_at = ?2, expires_at = ?3"
                        + " WHERE id = ?4")
                .setParameter(1, FailedAttempts.hash(next))
                .setParameter(2, utc(now))
                .setParameter(3, utc(expiresAt))
                .setParameter(4, UuidConverter.toBytes(sessionId))
                .executeUpdate();
        return tokens(memberId, sessionId, next, expiresAt);
    }

    /** The session of a genuine, unexpired access token, if it was not revoked since. */
    AppSession authenticate(EntityManager em, String accessToken) {
        AccessTokens.Claims claims = tokens.verify(accessToken);
        List<?> live = em.createNativeQuery("SELECT id FROM app_session WHERE id = ?1 AND member_id = ?2"
                        + " AND revoked_at IS NULL")
                .setParameter(1, UuidConverter.toBytes(claims.sessionId()))
                .setParameter(2, UuidConverter.toBytes(claims.memberId()))
                .getResultList();
        if (live.isEmpty()) {
            throw new KizunaException(ErrorCode.UNAUTHENTICATED, "This session was signed out.");
        }
        return new AppSession(claims.memberId(), claims.sessionId());
    }

    void revoke(EntityManager em, AppSession session) {
        em.createNativeQuery("UPDATE app_session SET revoked_at = ?1 WHERE id = ?2 AND member_id = ?3"
                        + " AND revoked_at IS NULL")
                .setParameter(1, utc(clock.instant()))
                .setParameter(2, UuidConverter.toBytes(session.sessionId()))
                .setParameter(3, UuidConverter.toBytes(session.memberId()))
                .executeUpdate();
    }

    /** Revokes every session of the member except {@code keep} (null: all of them). */
    void revokeAll(EntityManager em, UUID memberId, UUID keep) {
        em.createNativeQuery("UPDATE app_session SET revoked_at = ?1 WHERE member_id = ?2 AND revoked_at IS NULL"
                        + " AND id <> ?3")
                .setParameter(1, utc(clock.instant()))
                .setParameter(2, UuidConverter.toBytes(memberId))
                .setParameter(3, UuidConverter.toBytes(keep == null ? new UUID(0, 0) : keep))
                .executeUpdate();
    }

    List<SessionInfo> of(EntityManager em, UUID memberId) {
        List<?> rows = em.createNativeQuery("SELECT id, created_at, refreshed_at, expires_at, revoked_at"
                        + " FROM app_session WHERE member_id = ?1 ORDER BY created_at")
                .setParameter(1, UuidConverter.toBytes(memberId))
                .getResultList();
        return rows.stream().map(Object[].class::cast)
                .map(row -> new SessionInfo(UuidConverter.fromBytes((byte[]) row[0]).toString(), instant(row[1]),
                        instant(row[2]), instant(row[3]), instant(row[4])))
                .toList();
    }

    private Tokens tokens(UUID memberId, UUID sessionId, String refresh, Instant refreshExpiresAt) {
        Instant accessExpiresAt = clock.instant().plus(config.accessTokenTtl());
        String access = tokens.issue(new AccessTokens.Claims(memberId, sessionId, accessExpiresAt));
        return new Tokens(memberId, "Bearer", access, accessExpiresAt, refresh, refreshExpiresAt);
    }

    private String newRefreshToken() {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        return REFRESH_PREFIX + new String(ENCODER.encode(secret), StandardCharsets.US_ASCII);
    }

    private static KizunaException refused() {
        return new KizunaException(ErrorCode.UNAUTHENTICATED, "The refresh token is not valid; sign in again.");
    }

    static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    static Instant instant(Object databaseValue) {
        if (databaseValue == null) {
            return null;
        }
        if (databaseValue instanceof java.sql.Timestamp timestamp) {
            return timestamp.toLocalDateTime().toInstant(ZoneOffset.UTC);
        }
        if (databaseValue instanceof LocalDateTime local) {
            return local.toInstant(ZoneOffset.UTC);
        }
        throw new IllegalStateException("Unexpected timestamp type " + databaseValue.getClass().getName());
    }
}
