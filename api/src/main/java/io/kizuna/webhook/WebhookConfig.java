package io.kizuna.webhook;

import java.time.Duration;

import io.helidon.config.Config;

/**
 * The webhook settings, read from {@code kizuna.feed}: how often the delivery job runs, how many events one POST
 * carries, how long a receiver may take, and how retries back off before a batch goes to the dead-letter list.
 */
public record WebhookConfig(Duration interval, int batchSize, Duration connectTimeout, Duration requestTimeout,
                            Duration firstRetry, Duration maxRetry, int maxFailures, int parallelism) {
    public WebhookConfig {
        if (batchSize < 1 || maxFailures < 1 || parallelism < 1) {
            throw new IllegalArgumentException("Webhook batch size, failure limit and parallelism must be 1 or more");
        }
    }

    public static WebhookConfig from(Config feed) {
        return new WebhookConfig(
                feed.get("webhook-interval").as(Duration.class).orElse(Duration.ofSeconds(1)),
                feed.get("webhook-batch-size").asInt().orElse(100),
                feed.get("webhook-connect-timeout").as(Duration.class).orElse(Duration.ofSeconds(2)),
                feed.get("webhook-request-timeout").as(Duration.class).orElse(Duration.ofSeconds(5)),
                feed.get("webhook-first-retry").as(Duration.class).orElse(Duration.ofSeconds(1)),
                feed.get("webhook-max-retry").as(Duration.class).orElse(Duration.ofMinutes(10)),
                feed.get("webhook-max-failures").asInt().orElse(12),
                feed.get("webhook-parallelism").asInt().orElse(4));
    }

    /**
     * How long to wait after the {@code failures}-th failure in a row: the first retry delay doubled per failure,
     * capped, then "equal jitter" (between half and all of it) so that receivers coming back are not hit by every
     * sender at once. {@code random} is in [0, 1).
     */
    public Duration backoff(int failures, double random) {
        long capMillis = maxRetry.toMillis();
        long delayMillis = firstRetry.toMillis();
        for (int i = 1; i < failures && delayMillis < capMillis; i++) {
            delayMillis *= 2;
        }
        delayMillis = Math.min(delayMillis, capMillis);
        return Duration.ofMillis(delayMillis / 2 + (long) (random * (delayMillis - delayMillis / 2)));
    }
}
