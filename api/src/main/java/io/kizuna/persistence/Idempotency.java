package io.kizuna.persistence;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kizuna.error.ErrorCode;
import io.kizuna.error.KizunaException;
import jakarta.persistence.EntityManager;

/**
 * Exactly-once commands. The first command under a key runs and its result is stored with a hash of the request,
 * in the same database transaction as its effects. The same key with the same request answers the stored result
 * marked as a replay; the same key with a different request is refused.
 */
public final class Idempotency {
    private final ObjectMapper json;
    private final Clock clock;

    public Idempotency(ObjectMapper json, Clock clock) {
        this.json = json;
        this.clock = clock;
    }

    /** A result that can say it is the answer to an earlier, identical command. */
    public interface Replayable<T> {
        T asReplay();
    }

    /**
     * Runs {@code command} once per key.
     *
     * @param operation names the kind of command, so that one key reused for another kind of command conflicts
     * @param request   everything the command depends on, hashed to recognise a different request
     */
    public <T extends Replayable<T>> T once(EntityManager entityManager, String key, String operation,
                                            Object request, Class<T> resultType, Supplier<T> command) {
        return once(entityManager, key, operation, request, resultType, Replayable::asReplay, command);
    }

    /** As above, for results that mark themselves as replays through {@code asReplay}. */
    public <T> T once(EntityManager entityManager, String key, String operation, Object request,
                      Class<T> resultType, UnaryOperator<T> asReplay, Supplier<T> command) {
        byte[] hash = hash(operation, request);
        IdempotencyRecordEntity earlier = entityManager.find(IdempotencyRecordEntity.class, key);
        if (earlier != null) {
            if (!MessageDigest.isEqual(earlier.requestHash(), hash)) {
                throw new KizunaException(ErrorCode.IDEMPOTENCY_CONFLICT,
                        "Idempotency-Key " + key.substring(key.indexOf(':') + 1)
                                + " was already used for a different request.");
            }
            return asReplay.apply(read(earlier.responseJson(), resultType));
        }
        T result;
        try {
            result = command.get();
        } catch (KizunaException refused) {
            // A retry racing its original waits on the original's locks and then finds the state the original left
            // (points spent, hold captured): it must answer the original's result, not that state's refusal.
            IdempotencyRecordEntity winner = entityManager.find(IdempotencyRecordEntity.class, key);
            if (winner != null && MessageDigest.isEqual(winner.requestHash(), hash)) {
                entityManager.getTransaction().setRollbackOnly(); // whatever the refused command wrote goes
                return asReplay.apply(read(winner.responseJson(), resultType));
            }
            throw refused;
        }
        entityManager.persist(new IdempotencyRecordEntity(key, hash, write(result), clock.instant()));
        return result;
    }

    private byte[] hash(String operation, Object request) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(operation.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(json.writeValueAsBytes(request));
            return digest.digest();
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException("Cannot hash a request", e);
        }
    }

    private String write(Object result) {
        try {
            return json.writeValueAsString(result);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot store a result", e);
        }
    }

    private <T> T read(String stored, Class<T> type) {
        try {
            return json.readValue(stored, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot read a stored result", e);
        }
    }
}
