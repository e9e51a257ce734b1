package io.kizuna.webhook;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real webhook receiver on a free port: it checks every delivery's signature against the secret it was given,
 * records what it got, and answers the status it is told to (503 while "down"). It can also be stopped (connection
 * refused) and started again on the same port.
 */
final class WebhookReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One POST as it arrived, with the outcome of the signature check. */
    record Delivery(String id, long signedAt, boolean signatureValid, boolean replay, String subscriptionId,
                    List<JsonNode> events, int answeredStatus) {
    }

    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private final int port;
    private volatile String secret;
    private volatile long delayMillis;
    private HttpServer server;

    WebhookReceiver() {
        this(0);
    }

    private WebhookReceiver(int port) {
        this.server = bind(port);
        this.port = server.getAddress().getPort();
    }

    String url() {
        return "http://127.0.0.1:" + port + "/hooks/kizuna";
    }

    void secret(String secret) {
        this.secret = secret;
    }

    void answer(int status) {
        this.status.set(status);
    }

    /** Makes every answer take this long (real time): a slow receiver. */
    void delay(long millis) {
        this.delayMillis = millis;
    }

    synchronized void stop() {
        server.stop(0);
    }

    synchronized void restart() {
        server = bind(port);
    }

    List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    /** Deliveries it accepted (answered 2xx). */
    List<Delivery> accepted() {
        return deliveries.stream().filter(delivery -> delivery.answeredStatus() / 100 == 2).toList();
    }

    /** Every event it accepted, in the order it accepted them. */
    List<JsonNode> acceptedEvents() {
        List<JsonNode> events = new ArrayList<>();
        accepted().forEach(delivery -> events.addAll(delivery.events()));
        return events;
    }

    private HttpServer bind(int port) {
        try {
            HttpServer bound = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            bound.createContext("/hooks/kizuna", this::receive);
            bound.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
            bound.start();
            return bound;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void receive(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String signature = exchange.getRequestHeaders().getFirst(WebhookSignature.HEADER);
        long signedAt = -1;
        boolean valid = false;
        if (signature != null && signature.matches("t=\\d+,v1=[0-9a-f]{64}")) {
            signedAt = Long.parseLong(signature.substring(2, signature.indexOf(',')));
            String expected = hmac(secret, signedAt + "." + new String(body, StandardCharsets.UTF_8));
            valid = MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                    signature.substring(signature.indexOf("v1=") + 3).getBytes(StandardCharsets.US_ASCII));
        }
        JsonNode json = JSON.readTree(body);
        List<JsonNode> events = new ArrayList<>();
        json.get("events").forEach(events::add);
        if (delayMillis > 0) {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        int answer = status.get();
        deliveries.add(new Delivery(exchange.getRequestHeaders().getFirst("Kizuna-Delivery"), signedAt, valid,
                json.get("replay").asBoolean(), json.get("subscriptionId").asText(), events, answer));
        exchange.sendResponseHeaders(answer, -1);
        exchange.close();
    }

    /** Computed here from the documented scheme, not with Kizuna's own code. */
    private static String hmac(String key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
