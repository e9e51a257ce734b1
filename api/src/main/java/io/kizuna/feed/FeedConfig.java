package io.kizuna.feed;

import java.time.Duration;

import io.helidon.config.Config;

/** The feed's settings ({@code kizuna.feed}). */
public record FeedConfig(Duration dispatchInterval) {
    public static FeedConfig from(Config feed) {
        return new FeedConfig(feed.get("dispatch-interval").as(Duration.class).orElse(Duration.ofMillis(500)));
    }
}
