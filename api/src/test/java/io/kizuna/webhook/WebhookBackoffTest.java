package io.kizuna.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** Retry delays: doubling from the first delay, capped, with jitter between half and all of the delay. */
class WebhookBackoffTest {
    private final WebhookConfig config = new WebhookConfig(Duration.ofSeconds(1), 100, Duration.ofSeconds(2),
            Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofMinutes(10), 12, 4);

    @Test
    void theDelayDoublesPerFailureUpToTheCapAndJitterTakesUpToHalfOfIt() {
        assertEquals(Duration.ofMillis(500), config.backoff(1, 0.0));
        assertEquals(Duration.ofMillis(999), config.backoff(1, 0.999));
        assertEquals(Duration.ofSeconds(4), config.backoff(4, 0.0));
        assertEquals(Duration.ofSeconds(8), config.backoff(4, 1.0));
        assertEquals(Duration.ofSeconds(512), config.backoff(10, 1.0));
        assertEquals(Duration.ofMinutes(10), config.backoff(11, 1.0), "1024 s is past the cap");
        assertEquals(Duration.ofMinutes(5), config.backoff(40, 0.0), "capped, and no overflow after many failures");
    }
}
