package io.kizuna.feed;

import java.time.Instant;
import java.util.UUID;

/** An outbox event with its feed position, as the feed's readers get it; {@code payload} is its JSON data. */
public record StoredEvent(long position, UUID id, String type, UUID memberId, Instant createdAt, String payload) {
}
