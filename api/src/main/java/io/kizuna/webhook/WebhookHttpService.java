package io.kizuna.webhook;

import java.util.List;
import java.util.UUID;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.kizuna.error.KizunaException;
import io.kizuna.staff.Permission;
import io.kizuna.staff.StaffAccess;
import io.kizuna.staff.StaffAccess.Caller;
import io.kizuna.web.Http;

/** /api/v1/webhooks: subscriptions to the feed, their delivery state and their dead letters (admins). */
public final class WebhookHttpService implements HttpService {
    private final WebhookSubscriptions subscriptions;
    private final StaffAccess access;
    private final Http http;

    public WebhookHttpService(WebhookSubscriptions subscriptions, StaffAccess access, Http http) {
        this.subscriptions = subscriptions;
        this.access = access;
        this.http = http;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/webhooks", access.require(Permission.MANAGE_FEED, this::list))
                .post("/webhooks", access.require(Permission.MANAGE_FEED, this::create))
                .get("/webhooks/{id}", access.require(Permission.MANAGE_FEED, this::get))
                .delete("/webhooks/{id}", access.require(Permission.MANAGE_FEED, this::delete))
                .get("/webhooks/{id}/dead-letters", access.require(Permission.MANAGE_FEED, this::deadLetters))
                .post("/webhooks/{id}/dead-letters/replay", access.require(Permission.MANAGE_FEED, this::replay));
    }

    record CreateRequest(String url, List<String> eventTypes, Long from) {
    }

    record ReplayRequest(List<UUID> ids) {
    }

    private void list(ServerRequest request, ServerResponse response, Caller caller) {
        http.ok(response, subscriptions.list());
    }

    private void create(ServerRequest request, ServerResponse response, Caller caller) {
        CreateRequest body = http.read(request, CreateRequest.class);
        http.send(response, Status.CREATED_201, subscriptions.create(caller,
                new WebhookSubscriptions.Create(body.url(), body.eventTypes(), body.from())));
    }

    private void get(ServerRequest request, ServerResponse response, Caller caller) {
        http.ok(response, subscriptions.get(id(request)));
    }

    private void delete(ServerRequest request, ServerResponse response, Caller caller) {
        subscriptions.delete(caller, id(request));
        response.status(Status.NO_CONTENT_204).send();
    }

    private void deadLetters(ServerRequest request, ServerResponse response, Caller caller) {
        long after = Http.query(request, "after").map(WebhookHttpService::position).orElse(0L);
        http.ok(response, subscriptions.deadLetters(id(request), after, Http.intQuery(request, "limit", 100)));
    }

    private void replay(ServerRequest request, ServerResponse response, Caller caller) {
        UUID id = id(request);
        // No body (or {}) replays every dead letter; {"ids": [...]} only those.
        List<UUID> ids = request.content().hasEntity() ? http.read(request, ReplayRequest.class).ids() : null;
        http.ok(response, subscriptions.replay(caller, id, ids));
    }

    private static UUID id(ServerRequest request) {
        String id = request.path().pathParameters().get("id");
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw WebhookSubscriptions.notFound(null);
        }
    }

    private static long position(String text) {
        try {
            long position = Long.parseLong(text);
            if (position >= 0) {
                return position;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw KizunaException.invalid("after must be a feed position: a whole number, 0 or more.");
    }
}
