package io.kizuna.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import io.kizuna.testing.ApiClient.Reply;

/**
 * One kind of bad input: the request that carries it, and the problem it must get. {@link #assertRefused}
 * checks the problem and that not a single row changed.
 */
public record BadRequest(String name, int status, String code, Function<ApiClient, Reply> request) {
    @Override
    public String toString() {
        return name;
    }

    public void assertRefused(ApiClient client) {
        Map<String, Long> before = RowCounts.snapshot();
        Reply reply = request.apply(client);
        reply.problem(status, code);
        assertFalse(reply.text().contains("Exception"), "no stack trace: " + reply.text());
        assertFalse(reply.text().toLowerCase(Locale.ROOT).contains("select "), "no SQL: " + reply.text());
        assertEquals(before, RowCounts.snapshot(), "nothing was written");
    }
}
