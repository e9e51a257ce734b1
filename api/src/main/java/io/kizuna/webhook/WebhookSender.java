package io.kizuna.webhook;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One signed POST to a receiver, bounded in time from connecting to the last byte of the answer. The answer's body
 * is read and thrown away: it never reaches the database or the logs.
 */
final class WebhookSender {
    static final String DELIVERY_HEADER = "Kizuna-Delivery";

    private final HttpClient client;
    private final WebhookConfig config;
    private final Clock clock;

    WebhookSender(WebhookConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.client = HttpClient.newBuilder()
                .connectTimeout(config.connectTimeout())
                // A redirect is not an acceptance: the subscription must name the receiver itself.
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** Whether the receiver accepted (2xx), and if not, a short reason without anything the receiver wrote. */
    record Result(boolean accepted, String error) {
        static final Result ACCEPTED = new Result(true, null);

        static Result failed(String error) {
            return new Result(false, error);
        }
    }

    Result post(WebhookDelivery.Target target, UUID delivery, byte[] body) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(target.url()))
                    .timeout(config.requestTimeout())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "Kizuna-Webhooks/1")
                    .header(WebhookSignature.HEADER,
                            WebhookSignature.header(target.secret(), clock.instant().getEpochSecond(), body))
                    .header(DELIVERY_HEADER, delivery.toString())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
        } catch (IllegalArgumentException e) {
            return Result.failed("the URL cannot be requested");
        }
        CompletableFuture<HttpResponse<Void>> answer = client.sendAsync(request,
                HttpResponse.BodyHandlers.discarding());
        try {
            int status = answer.get(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS).statusCode();
            return status >= 200 && status < 300 ? Result.ACCEPTED : Result.failed("HTTP " + status);
        } catch (TimeoutException e) {
            answer.cancel(true);
            return Result.failed("timed out after " + config.requestTimeout());
        } catch (ExecutionException e) {
            return Result.failed(reason(e.getCause()));
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            return Result.failed("interrupted");
        }
    }

    private String reason(Throwable failure) {
        if (failure instanceof HttpTimeoutException) {
            return "timed out";
        }
        if (failure instanceof ConnectException) {
            return "could not connect";
        }
        if (failure instanceof IOException) {
            return "connection failed (" + failure.getClass().getSimpleName() + ")";
        }
        return "request failed (" + failure.getClass().getSimpleName() + ")";
    }
}
