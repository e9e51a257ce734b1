package io.kizuna.feed;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kizuna.db.UuidConverter;
import io.kizuna.persistence.Ids;
import jakarta.persistence.EntityManager;

/**
 * The transactional outbox: an event is written in the same database transaction as the change it reports, so
 * that it exists if and only if the change committed. The dispatcher gives it its feed position later.
 */
public final class Outbox {
    private final ObjectMapper json;
    private final Clock clock;

    public Outbox(ObjectMapper json, Clock clock) {
        this.json = json;
        this.clock = clock;
    }

    /** Writes an event about {@code memberId} (null: about no member) inside the caller's transaction. */
    public void write(EntityManager em, EventType type, UUID memberId, Object data) {
        em.createNativeQuery("INSERT INTO outbox_event (id, type, member_id, payload, created_at)"
                        + " VALUES (?1, ?2, ?3, ?4, ?5)")
                .setParameter(1, UuidConverter.toBytes(Ids.next()))
                .setParameter(2, type.wireName())
                .setParameter(3, memberId == null ? null : UuidConverter.toBytes(memberId))
                .setParameter(4, serialise(data))
                .setParameter(5, LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
                .executeUpdate();
    }

    private String serialise(Object data) {
        try {
            return json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("An event's data could not be written as JSON", e);
        }
    }
}
