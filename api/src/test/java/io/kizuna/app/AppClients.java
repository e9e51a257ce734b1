package io.kizuna.app;

import java.net.http.HttpRequest;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import io.kizuna.testing.ApiClient;
import io.kizuna.testing.ApiClient.Reply;
import io.kizuna.testing.TestServer;

/** Members of the app in tests: each signs up with its own email, and each test client its own address. */
final class AppClients {
    static final String PASSWORD = "correct horse battery";
    private static final AtomicInteger MEMBERS = new AtomicInteger();

    /** A signed-up member with its tokens; {@code app} sends the access token. */
    record AppMember(String id, String email, String access, String refresh, ApiClient app) {
        Reply get(String path) {
            return app.get(path);
        }
    }

    private AppClients() {
    }

    /** A client address of its own (the test server trusts X-Forwarded-For), so limits of one test stay there. */
    static String newAddress() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(1, 255);
    }

    static String newEmail(String who) {
        return who.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z]", "") + MEMBERS.incrementAndGet() + "."
                + Long.toString(System.nanoTime(), 36) + "@example.jp";
    }

    static AppMember signUp(String name) {
        String email = newEmail(name);
        Reply reply = anonymous("POST", "/app/v1/accounts", """
                {"email": "%s", "password": "%s", "profile": {"name": "%s"},
                 "consents": {"marketingMessages": true}}""".formatted(email, PASSWORD, name), newAddress())
                .expect(201);
        return member(reply, email);
    }

    static AppMember member(Reply tokens, String email) {
        return new AppMember(tokens.at("/memberId"), email, tokens.at("/accessToken"), tokens.at("/refreshToken"),
                TestServer.as(tokens.at("/accessToken")));
    }

    static Reply signIn(String email, String password, String address) {
        return anonymous("POST", "/app/v1/sessions",
                "{\"email\": \"" + email + "\", \"password\": \"" + password + "\"}", address);
    }

    static Reply anonymous(String method, String path, String json, String address) {
        ApiClient anonymous = TestServer.as(null);
        return send(anonymous, method, path, json, address);
    }

    static Reply send(ApiClient client, String method, String path, String json, String address) {
        HttpRequest.Builder request = client.request(path).header("X-Forwarded-For", address);
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        return client.send(request.build());
    }

    static Reply send(AppMember member, String method, String path, String json) {
        return send(member.app(), method, path, json, newAddress());
    }
}
