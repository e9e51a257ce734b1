package io.kizuna.tier;

import java.time.Instant;

/** One line of a member's tier history: from which tier to which, why, and the qualification at that moment. */
public record TierChange(String from, String to, Direction direction, String reason, long qualification,
                         Instant changedAt) {
    public enum Direction { UP, DOWN }
}
