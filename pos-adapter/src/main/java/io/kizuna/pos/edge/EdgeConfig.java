package io.kizuna.pos.edge;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import io.helidon.config.Config;

/**
 * The in-store edge.
 *
 * @param central            the central Kizuna the edge forwards to
 * @param folder             where the journal and the known terminals are kept (durable, private to the edge)
 * @param callTimeout        how long one call to the centre may take
 * @param retryAttempts      tries per call before the edge answers offline
 * @param retryBackoff       first backoff between tries, doubled each time, with jitter
 * @param breakerOpenFor     how long the circuit stays open before the centre is tried again
 * @param maxConcurrentCalls calls to the centre in flight at once
 * @param replayInterval     how often what is waiting in the journal is sent on
 * @param yenPerPoint        the base rate, for the provisional points of an offline answer
 */
public record EdgeConfig(URI central, Path folder, Duration callTimeout, int retryAttempts, Duration retryBackoff,
                         Duration breakerOpenFor, int maxConcurrentCalls, Duration replayInterval, long yenPerPoint) {

    public static EdgeConfig from(Config edge) {
        return new EdgeConfig(
                URI.create(edge.get("central-url").asString().orElse("http://localhost:8080/")),
                Path.of(edge.get("dir").asString().orElse("edge-data")),
                edge.get("call-timeout").as(Duration.class).orElse(Duration.ofSeconds(2)),
                edge.get("retry-attempts").asInt().orElse(3),
                edge.get("retry-backoff").as(Duration.class).orElse(Duration.ofMillis(100)),
                edge.get("breaker-open-for").as(Duration.class).orElse(Duration.ofSeconds(5)),
                edge.get("max-concurrent-calls").asInt().orElse(32),
                edge.get("replay-interval").as(Duration.class).orElse(Duration.ofSeconds(1)),
                edge.get("yen-per-point").asLong().orElse(100L));
    }
}
