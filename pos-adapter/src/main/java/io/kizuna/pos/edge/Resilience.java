package io.kizuna.pos.edge;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.kizuna.error.KizunaException;

/**
 * How the edge calls the central server: a bulkhead bounds the calls in flight, a time limiter bounds each call,
 * a circuit breaker stops calling a centre that keeps failing, and retries with jittered exponential backoff ride
 * out short blips. A refusal by the centre (a {@link KizunaException}) is an answer, not a failure: it is neither
 * retried nor counted against the breaker.
 */
final class Resilience implements AutoCloseable {
    private final Retry retry;
    private final CircuitBreaker breaker;
    private final Bulkhead bulkhead;
    private final TimeLimiter timeLimiter;
    private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();

    Resilience(EdgeConfig config) {
        retry = Retry.of("central", RetryConfig.custom()
                .maxAttempts(config.retryAttempts())
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(config.retryBackoff(), 2.0, 0.5))
                .retryExceptions(CentralUnavailableException.class)
                .ignoreExceptions(KizunaException.class)
                .build());
        breaker = CircuitBreaker.of("central", CircuitBreakerConfig.custom()
                .slidingWindowSize(20)
                .minimumNumberOfCalls(5)
                .failureRateThreshold(50)
                .waitDurationInOpenState(config.breakerOpenFor())
                .permittedNumberOfCallsInHalfOpenState(2)
                .ignoreExceptions(KizunaException.class)
                .build());
        bulkhead = Bulkhead.of("central", BulkheadConfig.custom()
                .maxConcurrentCalls(config.maxConcurrentCalls())
                .maxWaitDuration(Duration.ofMillis(500))
                .build());
        timeLimiter = TimeLimiter.of(TimeLimiterConfig.custom()
                .timeoutDuration(config.callTimeout())
                .cancelRunningFuture(true)
                .build());
    }

    <T> T call(Supplier<T> call) {
        Supplier<T> guarded = Bulkhead.decorateSupplier(bulkhead, () -> timeLimited(call));
        guarded = CircuitBreaker.decorateSupplier(breaker, guarded);
        guarded = Retry.decorateSupplier(retry, guarded);
        try {
            return guarded.get();
        } catch (CallNotPermittedException e) {
            throw new CentralUnavailableException("The circuit to the central server is open");
        } catch (BulkheadFullException e) {
            throw new CentralUnavailableException("Too many calls to the central server in flight");
        }
    }

    String breakerState() {
        return breaker.getState().name();
    }

    private <T> T timeLimited(Supplier<T> call) {
        try {
            return timeLimiter.executeFutureSupplier(() -> CompletableFuture.supplyAsync(call, calls));
        } catch (TimeoutException e) {
            throw new CentralUnavailableException("The central server took too long");
        } catch (RuntimeException e) {
            throw unwrap(e);
        } catch (Exception e) {
            throw unwrap(e.getCause() == null ? e : e.getCause());
        }
    }

    private static RuntimeException unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof KizunaException || cause instanceof CentralUnavailableException) {
            return (RuntimeException) cause;
        }
        return new CentralUnavailableException("Calling the central server failed: " + cause.getClass().getName());
    }

    @Override
    public void close() {
        calls.shutdownNow();
    }
}
