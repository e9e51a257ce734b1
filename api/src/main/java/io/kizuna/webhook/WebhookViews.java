package io.kizuna.webhook;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What the webhook API answers: subscriptions with their delivery state, and dead letters. Never the secret. */
public final class WebhookViews {
    private WebhookViews() {
    }

    /** A subscription; {@code eventTypes} is empty when it receives every type. */
    public record Subscription(UUID id, String url, List<String> eventTypes, Instant createdAt, Delivery delivery) {
    }

    /**
     * How delivery is going: {@code position} is the last feed position delivered or passed over, {@code lag} how
     * many positioned events are still ahead of it.
     */
    public record Delivery(long position, long lag, int consecutiveFailures, Instant nextAttemptAt,
                           Instant lastAttemptAt, Instant lastDeliveredAt, String lastError, long deadLetters) {
    }

    /** The answer to a creation: the only time the signing secret is shown. */
    public record Created(Subscription subscription, String secret) {
    }

    public record DeadLetter(UUID id, long position, UUID eventId, String type, Instant failedAt, String lastError,
                             Instant replayRequestedAt) {
    }

    public record ReplayRequested(int requested) {
    }
}
