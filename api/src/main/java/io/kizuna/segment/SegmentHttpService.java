package io.kizuna.segment;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.kizuna.analytics.ReportResponses;
import io.kizuna.error.KizunaException;
import io.kizuna.staff.Permission;
import io.kizuna.staff.StaffAccess;
import io.kizuna.staff.StaffAccess.Caller;
import io.kizuna.web.Http;

/**
 * /api/v1/segments: marketers save segment definitions (MANAGE_CAMPAIGNS) and read, count, page and export their
 * members (READ_ANALYTICS). Membership answers carry member ids and program facts, never names, emails or cards.
 */
public final class SegmentHttpService implements HttpService {
    static final String CSV_HEADER = "memberId,status,enrolledAt,marketingConsent,lastPurchaseAt,purchaseDays,spend";

    private final Segments segments;
    private final StaffAccess access;
    private final Http http;
    private final DefinitionReader reader;

    public SegmentHttpService(Segments segments, StaffAccess access, Http http) {
        this.segments = segments;
        this.access = access;
        this.http = http;
        this.reader = new DefinitionReader(http.mapper());
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/segments", access.require(Permission.READ_ANALYTICS, this::list))
                .post("/segments", access.require(Permission.MANAGE_CAMPAIGNS, this::create))
                .post("/segments/preview", access.require(Permission.READ_ANALYTICS, this::preview))
                .get("/segments/{id}", access.require(Permission.READ_ANALYTICS, this::get))
                .put("/segments/{id}", access.require(Permission.MANAGE_CAMPAIGNS, this::replace))
                .delete("/segments/{id}", access.require(Permission.MANAGE_CAMPAIGNS, this::delete))
                .get("/segments/{id}/count", access.require(Permission.READ_ANALYTICS, this::count))
                .get("/segments/{id}/members.csv", access.require(Permission.READ_ANALYTICS, this::csv))
                .get("/segments/{id}/members", access.require(Permission.READ_ANALYTICS, this::members));
    }

    private void list(ServerRequest request, ServerResponse response, Caller caller) {
        http.ok(response, segments.list());
    }

    private void create(ServerRequest request, ServerResponse response, Caller caller) {
        Segments.Save save = reader.read(http.read(request, JsonNode.class), Segments.Save.class);
        http.send(response, Status.CREATED_201, segments.create(caller, save));
    }

    private void preview(ServerRequest request, ServerResponse response, Caller caller) {
        SegmentDefinition definition = reader.read(http.read(request, JsonNode.class), SegmentDefinition.class);
        http.ok(response, segments.preview(definition));
    }

    private void get(ServerRequest request, ServerResponse response, Caller caller) {
        http.ok(response, segments.get(id(request)));
    }

    private void replace(ServerRequest request, ServerResponse response, Caller caller) {
        UUID id = id(request);
        Segments.Save save = reader.read(http.read(request, JsonNode.class), Segments.Save.class);
        http.ok(response, segments.replace(caller, id, save));
    }

    private void delete(ServerRequest request, ServerResponse response, Caller caller) {
        segments.delete(caller, id(request));
        response.status(Status.NO_CONTENT_204).send();
    }

    private void count(ServerRequest request, ServerResponse response, Caller caller) {
        http.ok(response, segments.count(id(request)));
    }

    private void members(ServerRequest request, ServerResponse response, Caller caller) {
        UUID after = Http.query(request, "after").map(SegmentHttpService::cursor).orElse(null);
        http.ok(response, segments.page(id(request), after, Http.intQuery(request, "limit", 100)));
    }

    /** Every member as CSV, streamed from one query; the projections' position and time come as headers. */
    private void csv(ServerRequest request, ServerResponse response, Caller caller) {
        UUID id = id(request);
        Writer[] out = new Writer[1];
        segments.export(id, new Segments.MemberSink() {
            @Override
            public void start(SegmentViews.AsOf asOf) {
                response.header(HeaderNames.CONTENT_TYPE, ReportResponses.CSV);
                response.header("Content-Disposition", "attachment; filename=\"segment-" + id + ".csv\"");
                response.header("Kizuna-Projections-Position", Long.toString(asOf.position()));
                if (asOf.at() != null) {
                    response.header("Kizuna-Projections-At", asOf.at().toString());
                }
                out[0] = new BufferedWriter(new OutputStreamWriter(response.outputStream(), StandardCharsets.UTF_8));
                line(out[0], CSV_HEADER);
            }

            @Override
            public void member(SegmentViews.Member member) {
                line(out[0], csvLine(member));
            }
        });
        try {
            out[0].close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** No field can hold a comma, quote or line break (ids, enum names, ISO times, numbers): nothing to quote. */
    static String csvLine(SegmentViews.Member member) {
        return member.memberId() + "," + member.status() + "," + member.enrolledAt() + "," + member.marketingConsent()
                + "," + text(member.lastPurchaseAt()) + "," + text(member.purchaseDays()) + "," + text(member.spend());
    }

    private static String text(Object value) {
        return Objects.toString(value, "");
    }

    private static void line(Writer out, String line) {
        try {
            out.write(line);
            out.write("\r\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static UUID id(ServerRequest request) {
        try {
            return UUID.fromString(request.path().pathParameters().get("id"));
        } catch (IllegalArgumentException e) {
            throw Segments.notFound(null);
        }
    }

    private static UUID cursor(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw KizunaException.invalid("after is the next cursor a previous page answered.");
        }
    }
}
