package io.kizuna.feed;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.kizuna.error.KizunaException;
import io.kizuna.staff.Permission;
import io.kizuna.staff.StaffAccess;
import io.kizuna.staff.StaffAccess.Caller;
import io.kizuna.web.Http;

/**
 * The pull feed: {@code GET /api/v1/feed?after=<position>&limit=<n>} answers NDJSON, one event a line, in feed
 * order. The {@code Kizuna-Feed-Next} header is the cursor to send as {@code after} next time: resuming from it
 * never skips or repeats an event.
 */
public final class FeedHttpService implements HttpService {
    public static final String NDJSON = "application/x-ndjson";
    private static final int MAX_LIMIT = 1_000;

    private final FeedReader reader;
    private final StaffAccess access;
    private final ObjectMapper json;

    public FeedHttpService(FeedReader reader, StaffAccess access, ObjectMapper json) {
        this.reader = reader;
        this.access = access;
        this.json = json;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/feed", access.require(Permission.MANAGE_FEED, this::feed));
    }

    private void feed(ServerRequest request, ServerResponse response, Caller caller) {
        long after = Http.query(request, "after").map(FeedHttpService::position).orElse(0L);
        int limit = Http.intQuery(request, "limit", 100);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw KizunaException.invalid("limit must be 1 to " + MAX_LIMIT + ".");
        }
        FeedReader.Page page = reader.after(after, limit);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            for (ObjectNode event : page.events()) {
                json.writeValue(body, event);
                body.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        response.header(HeaderNames.CONTENT_TYPE, NDJSON);
        response.header("Kizuna-Feed-Next", Long.toString(page.next()));
        response.send(body.toByteArray());
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
