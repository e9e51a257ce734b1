package io.kizuna.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.kizuna.Kizuna;
import io.kizuna.testing.ApiClient;
import io.kizuna.testing.ApiClient.Reply;
import io.kizuna.testing.RowCounts;
import io.kizuna.testing.Shop;
import io.kizuna.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Segments over a small hand-built population on a Kizuna of its own: exact membership for every criterion kind
 * and for combinations, evaluated against today after the clock moved on 100 days.
 *
 * <pre>
 *          born           gender  prefecture  consent  enrolled  purchases (business day: category sku amount)
 * aiko     25 years ago   FEMALE  Tokyo       yes      day 0     day 0: FOOD sku1 1000; today: DRINK sku2 500
 * ben      45 years ago   MALE    Osaka       no       day 0     day 0: FOOD sku1 3000
 * chie     (not given)    OTHER   Tokyo       yes      today     none
 * dan      72 years ago   MALE    Hokkaido    yes      day 0     day -1: TOBACCO sku3 600; day 0: FOOD sku1 800;
 *                                                                suspended
 * emi      19 years ago   FEMALE  Osaka       yes      day 0     today-2, today-1, today: SNACK sku4 200 each,
 *                                                                the one of today-2 returned
 * fumi     30 years ago   MALE    Osaka       no       day 0     merged into aiko: never in a segment
 * </pre>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SegmentTest {
    private static final ZoneId ZONE = ZoneId.of("Asia/Tokyo");
    private static final Pattern CARD_NUMBER = Pattern.compile("(?<![0-9])2[0-9]{12}(?![0-9])");
    private static Kizuna kizuna;
    private static ApiClient admin;
    private static String aiko;
    private static String ben;
    private static String chie;
    private static String dan;
    private static String emi;
    private static String fumi;
    private static LocalDate today;

    @BeforeAll
    static void aPopulation() {
        kizuna = TestServer.startOwn("segments" + System.nanoTime());
        admin = TestServer.client(kizuna.port(), TestServer.ADMIN_KEY);
        LocalDate dayZero = TestServer.CLOCK.instant().atZone(ZONE).toLocalDate();
        today = TestServer.CLOCK.instant().plus(Duration.ofDays(100)).atZone(ZONE).toLocalDate();
        Shop shop = Shop.open(admin);
        Shop.Member a = enroll("Aiko", today.minusYears(25), "FEMALE", "Tokyo", true);
        Shop.Member b = enroll("Ben", today.minusYears(45), "MALE", "Osaka", false);
        Shop.Member d = enroll("Dan", today.minusYears(72), "MALE", "Hokkaido", true);
        Shop.Member e = enroll("Emi", today.minusYears(19), "FEMALE", "Osaka", true);
        Shop.Member f = enroll("Fumi", today.minusYears(30), "MALE", "Osaka", false);
        shop.sale(a.card(), dayZero, Shop.line("SKU-1", "FOOD", 1000));
        shop.sale(b.card(), dayZero, Shop.line("SKU-1", "FOOD", 3000));
        shop.sale(d.card(), dayZero.minusDays(1), Shop.line("SKU-3", "TOBACCO", 600));
        shop.sale(d.card(), dayZero, Shop.line("SKU-1", "FOOD", 800));
        admin.post("/api/v1/members/" + d.id() + "/suspend", "").expect(200);
        admin.post("/api/v1/members/" + a.id() + "/merge", "{\"mergedMemberId\": \"" + f.id() + "\"}").expect(200);

        TestServer.CLOCK.advance(Duration.ofDays(100));
        chie = admin.post("/api/v1/members", "{\"profile\": {\"name\": \"Chie\", \"gender\": \"OTHER\","
                + " \"prefecture\": \"Tokyo\"}, \"consents\": {\"marketingMessages\": true, \"analyticsUse\": true},"
                + " \"card\": \"VIRTUAL\"}").expect(201).at("/member/id");
        shop.sale(a.card(), today, Shop.line("SKU-2", "DRINK", 500));
        Shop.Sale first = shop.sale(e.card(), today.minusDays(2), Shop.line("SKU-4", "SNACK", 200));
        shop.sale(e.card(), today.minusDays(1), Shop.line("SKU-4", "SNACK", 200));
        shop.sale(e.card(), today, Shop.line("SKU-4", "SNACK", 200));
        shop.returnLine(first, 1, today);
        kizuna.core().dispatcher.run();
        aiko = a.id();
        ben = b.id();
        dan = d.id();
        emi = e.id();
        fumi = f.id();
        existingName = "existing " + UUID.randomUUID();
        existing = admin.post("/api/v1/segments", "{\"name\": \"" + existingName + "\", \"definition\": "
                + one(TENURE) + "}").expect(201).at("/id");
    }

    @AfterAll
    static void stop() {
        kizuna.close();
    }

    private static Shop.Member enroll(String name, LocalDate born, String gender, String prefecture,
                                      boolean consent) {
        return Shop.enroll(admin, "\"profile\": {\"name\": \"" + name + "\", \"birthDate\": \"" + born
                + "\", \"gender\": \"" + gender + "\", \"prefecture\": \"" + prefecture + "\"}, \"consents\":"
                + " {\"marketingMessages\": " + consent + ", \"analyticsUse\": true}");
    }

    static Stream<Arguments> criteria() {
        return Stream.of(
                single("{\"kind\": \"ageBand\", \"bands\": [\"20-29\"]}", "aiko"),
                single("{\"kind\": \"ageBand\", \"bands\": [\"under 20\", \"70+\"]}", "dan", "emi"),
                single("{\"kind\": \"ageBand\", \"bands\": [\"unknown\", \"40-49\"]}", "ben", "chie"),
                single("{\"kind\": \"gender\", \"genders\": [\"MALE\"]}", "ben", "dan"),
                single("{\"kind\": \"prefecture\", \"prefectures\": [\"Osaka\"]}", "ben", "emi"),
                single("{\"kind\": \"tenure\", \"minDays\": 50}", "aiko", "ben", "dan", "emi"),
                single("{\"kind\": \"tenure\", \"maxDays\": 0}", "chie"),
                single("{\"kind\": \"tenure\", \"minDays\": 100, \"maxDays\": 100}", "aiko", "ben", "dan", "emi"),
                single("{\"kind\": \"status\", \"statuses\": [\"SUSPENDED\"]}", "dan"),
                single("{\"kind\": \"status\", \"statuses\": [\"ACTIVE\"]}", "aiko", "ben", "chie", "emi"),
                single("{\"kind\": \"marketingConsent\", \"given\": false}", "ben"),
                single("{\"kind\": \"marketingConsent\", \"given\": true}", "aiko", "chie", "dan", "emi"),
                single("{\"kind\": \"daysSinceLastPurchase\", \"minDays\": 30}", "ben", "dan"),
                single("{\"kind\": \"daysSinceLastPurchase\", \"maxDays\": 0}", "aiko", "emi"),
                single("{\"kind\": \"daysSinceLastPurchase\", \"minDays\": 100, \"maxDays\": 100}", "ben", "dan"),
                single("{\"kind\": \"daysSinceLastPurchase\", \"minDays\": 101}"),
                single("{\"kind\": \"purchasesInWindow\", \"days\": 7, \"min\": 2}", "emi"),
                single("{\"kind\": \"purchasesInWindow\", \"days\": 7, \"min\": 1, \"max\": 1}", "aiko"),
                single("{\"kind\": \"purchasesInWindow\", \"days\": 7, \"max\": 0}", "ben", "chie", "dan"),
                single("{\"kind\": \"purchasesInWindow\", \"days\": 2, \"min\": 2}", "emi"),
                single("{\"kind\": \"purchasesInWindow\", \"days\": 1, \"min\": 2}"),
                single("{\"kind\": \"purchasesInWindow\", \"days\": 102, \"min\": 2}", "aiko", "dan", "emi"),
                single("{\"kind\": \"purchasesInWindow\", \"days\": 101, \"min\": 2}", "aiko", "emi"),
                single("{\"kind\": \"spendInWindow\", \"days\": 30, \"min\": 450}", "aiko"),
                single("{\"kind\": \"spendInWindow\", \"days\": 30, \"min\": 400, \"max\": 400}", "emi"),
                single("{\"kind\": \"spendInWindow\", \"days\": 30, \"max\": 450}", "ben", "chie", "dan", "emi"),
                single("{\"kind\": \"categoriesBought\", \"categories\": [\"FOOD\"]}", "aiko", "ben", "dan"),
                single("{\"kind\": \"categoriesBought\", \"categories\": [\"SNACK\", \"TOBACCO\"]}", "dan", "emi"),
                single("{\"kind\": \"categoriesNotBought\", \"categories\": [\"FOOD\"]}", "chie", "emi"),
                single("{\"kind\": \"categoriesNotBought\", \"categories\": [\"FOOD\", \"SNACK\"]}", "chie"),
                single("{\"kind\": \"skusBought\", \"skus\": [\"SKU-1\"]}", "aiko", "ben", "dan"),
                single("{\"kind\": \"skusBought\", \"skus\": [\"SKU-1\", \"SKU-4\"], \"days\": 30}", "emi"),
                single("{\"kind\": \"skusBought\", \"skus\": [\"SKU-\"]}"),
                single("{\"kind\": \"skusNotBought\", \"skus\": [\"SKU-1\"]}", "chie", "emi"),
                single("{\"kind\": \"skusNotBought\", \"skus\": [\"SKU-2\"], \"days\": 1}", "ben", "chie", "dan",
                        "emi"),
                single("{\"kind\": \"nthPurchaseReached\", \"n\": 2}", "aiko", "dan", "emi"),
                single("{\"kind\": \"nthPurchaseReached\", \"n\": 3}", "emi"),
                single("{\"kind\": \"nthPurchaseNotReached\", \"n\": 2}", "ben", "chie"),
                single("{\"kind\": \"nthPurchaseNotReached\", \"n\": 1}", "chie"),
                single("{\"kind\": \"anyOf\", \"criteria\": [{\"kind\": \"ageBand\", \"bands\": [\"70+\"]},"
                        + " {\"kind\": \"prefecture\", \"prefectures\": [\"Osaka\"]}]}", "ben", "dan", "emi"),
                single("{\"kind\": \"anyOf\", \"criteria\": [{\"kind\": \"allOf\", \"criteria\": [{\"kind\":"
                        + " \"gender\", \"genders\": [\"MALE\"]}, {\"kind\": \"status\", \"statuses\":"
                        + " [\"SUSPENDED\"]}]}, {\"kind\": \"ageBand\", \"bands\": [\"unknown\"]}]}", "chie", "dan"),
                single("{\"kind\": \"anyOf\", \"criteria\": [{\"kind\": \"tenure\", \"maxDays\": 0},"
                        + " {\"kind\": \"tenure\", \"minDays\": 100, \"maxDays\": 100}]}",
                        "aiko", "ben", "chie", "dan", "emi"));
    }

    private static Arguments single(String criterion, String... members) {
        return Arguments.of(criterion, Set.of(members));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("criteria")
    void eachCriterionSelectsExactlyItsMembers(String criterion, Set<String> expected) {
        String definition = "{\"criteria\": [" + criterion + "]}";
        Reply preview = admin.post("/api/v1/segments/preview", definition).expect(200);
        assertEquals(expected.size(), preview.number("/count"), preview::text);
        String id = save(definition);
        assertEquals(expected, names(allMembers(id)));
        assertEquals(expected.size(), admin.get("/api/v1/segments/" + id + "/count").expect(200).number("/count"));
    }

    @Test
    void criteriaCombineWithAnd() {
        String id = save("{\"criteria\": [{\"kind\": \"gender\", \"genders\": [\"FEMALE\"]},"
                + " {\"kind\": \"marketingConsent\", \"given\": true},"
                + " {\"kind\": \"daysSinceLastPurchase\", \"maxDays\": 7},"
                + " {\"kind\": \"categoriesNotBought\", \"categories\": [\"DRINK\"]}]}");
        assertEquals(Set.of("emi"), names(allMembers(id)));
        String wider = save("{\"criteria\": [{\"kind\": \"purchasesInWindow\", \"days\": 120, \"min\": 1},"
                + " {\"kind\": \"purchasesInWindow\", \"days\": 7, \"max\": 0},"
                + " {\"kind\": \"categoriesBought\", \"categories\": [\"FOOD\"]},"
                + " {\"kind\": \"categoriesBought\", \"categories\": [\"TOBACCO\"]}]}");
        assertEquals(Set.of("dan"), names(allMembers(wider)), "lapsed buyers of both FOOD and TOBACCO");
    }

    @Test
    void pagesReturnEveryMemberExactlyOnceAndTheCsvExportEqualsTheList() {
        String id = save("{\"criteria\": [{\"kind\": \"tenure\", \"minDays\": 0}]}");
        List<String> paged = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            Reply page = admin.get("/api/v1/segments/" + id + "/members?limit=2"
                    + (after == null ? "" : "&after=" + after)).expect(200);
            page.json().get("members").forEach(member -> paged.add(member.get("memberId").asText()));
            after = page.json().has("next") ? page.at("/next") : null;
            pages++;
        } while (after != null);
        assertEquals(3, pages, "five members, two a page");
        assertEquals(List.of(aiko, ben, chie, dan, emi).stream().sorted().toList(), paged,
                "every member once, in id order, the merged one never");

        JsonNode all = admin.get("/api/v1/segments/" + id + "/members?limit=1000").expect(200).json();
        List<String> expected = new ArrayList<>(List.of(SegmentHttpService.CSV_HEADER));
        for (JsonNode member : all.get("members")) {
            expected.add(String.join(",", member.get("memberId").asText(), member.get("status").asText(),
                    member.get("enrolledAt").asText(), member.get("marketingConsent").asText(),
                    member.path("lastPurchaseAt").asText(""), member.path("purchaseDays").asText(""),
                    member.path("spend").asText("")));
        }
        Reply csv = admin.get("/api/v1/segments/" + id + "/members.csv").expect(200);
        assertTrue(csv.contentType().startsWith("text/csv"), csv.contentType());
        assertEquals(expected, List.of(csv.text().split("\r\n")));
        assertFalse(csv.text().contains("Aiko") || CARD_NUMBER.matcher(csv.text()).find(), "no names, no cards");
        JsonNode emiRow = memberRow(all, emi);
        assertEquals(3, emiRow.get("purchaseDays").asInt());
        assertEquals(400, emiRow.get("spend").asLong(), "600 bought, 200 returned");
        assertFalse(memberRow(all, chie).has("lastPurchaseAt"), "never bought");
    }

    /** Last, because it adds a buyer to the population. */
    @Test
    @Order(Integer.MAX_VALUE)
    void everyAnswerSaysHowCurrentTheProjectionsAre() {
        String id = save("{\"criteria\": [{\"kind\": \"status\", \"statuses\": [\"ACTIVE\"]}]}");
        long position = lastPosition();
        Reply count = admin.get("/api/v1/segments/" + id + "/count").expect(200);
        assertEquals(position, count.number("/asOf/position"));
        assertFalse(count.at("/asOf/at").isEmpty());
        Reply page = admin.get("/api/v1/segments/" + id + "/members").expect(200);
        assertEquals(position, page.number("/asOf/position"));
        assertEquals(position, admin.post("/api/v1/segments/preview", "{\"criteria\": [{\"kind\": \"status\","
                + " \"statuses\": [\"ACTIVE\"]}]}").expect(200).number("/asOf/position"));
        Reply csv = admin.send(admin.request("/api/v1/segments/" + id + "/members.csv").GET().build());
        assertEquals(200, csv.status());

        // A purchase not yet applied by the projections does not count, and the answer says so.
        Shop shop = Shop.open(admin);
        Shop.Member late = enroll("Late", today.minusYears(40), "FEMALE", "Kyoto", true);
        shop.sale(late.card(), today, Shop.line("SKU-9", "BOOKS", 100));
        String books = "{\"criteria\": [{\"kind\": \"categoriesBought\", \"categories\": [\"BOOKS\"]}]}";
        assertEquals(0, admin.post("/api/v1/segments/preview", books).expect(200).number("/count"));
        kizuna.core().dispatcher.run();
        Reply after = admin.post("/api/v1/segments/preview", books).expect(200);
        assertEquals(1, after.number("/count"));
        assertTrue(after.number("/asOf/position") > position);
    }

    @Test
    void segmentsAreSavedListedReplacedAndDeletedWithUniqueNamesAndEveryChangeIsAudited() {
        String definition = "{\"criteria\": [{\"kind\": \"gender\", \"genders\": [\"MALE\"]}]}";
        Reply created = admin.post("/api/v1/segments", "{\"name\": \"Men " + UUID.randomUUID() + "\","
                + " \"description\": \"all men\", \"definition\": " + definition + "}").expect(201);
        String id = created.at("/id");
        String name = created.at("/name");
        assertEquals("gender", created.at("/definition/criteria/0/kind"));
        assertEquals("MALE", created.at("/definition/criteria/0/genders/0"));
        admin.post("/api/v1/segments", "{\"name\": \"" + name + "\", \"definition\": " + definition + "}")
                .problem(409, "already_exists");
        assertTrue(admin.get("/api/v1/segments").expect(200).json().findValuesAsText("id").contains(id));

        Reply replaced = put("/api/v1/segments/" + id, "{\"name\": \"" + name + " renamed\", \"definition\":"
                + " {\"criteria\": [{\"kind\": \"gender\", \"genders\": [\"FEMALE\"]}]}}").expect(200);
        assertEquals(name + " renamed", replaced.at("/name"));
        assertFalse(replaced.json().has("description"), "replacing replaces every field");
        assertEquals(Set.of("aiko", "emi"), names(allMembers(id)));

        admin.send(admin.request("/api/v1/segments/" + id).DELETE().build()).expect(204);
        admin.get("/api/v1/segments/" + id).problem(404, "not_found");
        admin.get("/api/v1/segments/" + id + "/count").problem(404, "not_found");
        List<String> actions = admin.get("/api/v1/audit-log?limit=50").expect(200).json().findValuesAsText("action");
        assertTrue(actions.containsAll(List.of("segment.create", "segment.replace", "segment.delete")),
                actions::toString);
    }

    @Test
    void marketersManageSegmentsAuditorsSeeNone() {
        String marketer = admin.post("/api/v1/staff/credentials", "{\"name\": \"seg-m\", \"role\": \"MARKETER\"}")
                .expect(201).at("/key");
        String auditor = admin.post("/api/v1/staff/credentials", "{\"name\": \"seg-a\", \"role\": \"AUDITOR\"}")
                .expect(201).at("/key");
        ApiClient asMarketer = admin.as(marketer);
        String id = asMarketer.post("/api/v1/segments", "{\"name\": \"Marketer's " + UUID.randomUUID() + "\","
                + " \"definition\": {\"criteria\": [{\"kind\": \"nthPurchaseReached\", \"n\": 3}]}}")
                .expect(201).at("/id");
        assertEquals(1, asMarketer.get("/api/v1/segments/" + id + "/count").expect(200).number("/count"));
        ApiClient asAuditor = admin.as(auditor);
        asAuditor.get("/api/v1/segments").problem(403, "forbidden");
        asAuditor.get("/api/v1/segments/" + id + "/members").problem(403, "forbidden");
        asAuditor.post("/api/v1/segments/preview", "{\"criteria\": [{\"kind\": \"nthPurchaseReached\", \"n\": 3}]}")
                .problem(403, "forbidden");
    }

    @Test
    void theJavaApiStreamsTheSameMembersAndGivesSqlForInsertSelect() throws Exception {
        String id = save("{\"criteria\": [{\"kind\": \"prefecture\", \"prefectures\": [\"Osaka\", \"Tokyo\"]}]}");
        Segments segments = kizuna.core().segments;
        List<UUID> streamed = new ArrayList<>();
        segments.forEachMember(UUID.fromString(id), streamed::add);
        assertEquals(Stream.of(aiko, ben, chie, emi).map(UUID::fromString).sorted().toList(), streamed);
        assertEquals(4, segments.count(UUID.fromString(id)).count());
        SqlCondition sql = segments.memberIdsSql(UUID.fromString(id));
        try (var connection = kizuna.database().dataSource().getConnection();
             var select = connection.prepareStatement("SELECT COUNT(*) FROM (" + sql.sql() + ") x")) {
            for (int i = 0; i < sql.parameters().size(); i++) {
                select.setObject(i + 1, sql.parameters().get(i));
            }
            try (var row = select.executeQuery()) {
                row.next();
                assertEquals(4, row.getLong(1));
            }
        }
    }

    static Stream<Arguments> badRequests() {
        String create = "/api/v1/segments";
        String preview = "/api/v1/segments/preview";
        String unknown = "/api/v1/segments/" + UUID.randomUUID();
        return Stream.of(
                bad("unknown kind", 400, "invalid_request", api -> api.post(preview, one("{\"kind\": \"shoeSize\"}"))),
                bad("criterion without kind", 400, "invalid_request",
                        api -> api.post(preview, one("{\"bands\": [\"20-29\"]}"))),
                bad("unknown field", 400, "malformed_json",
                        api -> api.post(preview, one("{\"kind\": \"tenure\", \"minDays\": 1, \"weeks\": 2}"))),
                bad("inverted range", 400, "invalid_request",
                        api -> api.post(preview, one("{\"kind\": \"tenure\", \"minDays\": 10, \"maxDays\": 5}"))),
                bad("range without ends", 400, "invalid_request",
                        api -> api.post(preview, one("{\"kind\": \"daysSinceLastPurchase\"}"))),
                bad("negative window", 400, "invalid_request", api -> api.post(preview,
                        one("{\"kind\": \"purchasesInWindow\", \"days\": -7, \"min\": 1}"))),
                bad("window of zero days", 400, "invalid_request", api -> api.post(preview,
                        one("{\"kind\": \"spendInWindow\", \"days\": 0, \"min\": 1}"))),
                bad("window missing", 400, "invalid_request", api -> api.post(preview,
                        one("{\"kind\": \"spendInWindow\", \"min\": 1}"))),
                bad("negative spend", 400, "invalid_request", api -> api.post(preview,
                        one("{\"kind\": \"spendInWindow\", \"days\": 30, \"min\": -100}"))),
                bad("window as text", 400, "malformed_json", api -> api.post(preview,
                        one("{\"kind\": \"purchasesInWindow\", \"days\": \"30\", \"min\": 1}"))),
                bad("nth purchase 0", 400, "invalid_request",
                        api -> api.post(preview, one("{\"kind\": \"nthPurchaseReached\", \"n\": 0}"))),
                bad("unknown age band", 400, "invalid_request",
                        api -> api.post(preview, one("{\"kind\": \"ageBand\", \"bands\": [\"25-34\"]}"))),
                bad("empty list", 400, "invalid_request",
                        api -> api.post(preview, one("{\"kind\": \"prefecture\", \"prefectures\": []}"))),
                bad("a value twice", 400, "invalid_request", api -> api.post(preview,
                        one("{\"kind\": \"categoriesBought\", \"categories\": [\"FOOD\", \"FOOD\"]}"))),
                bad("unknown gender", 400, "malformed_json",
                        api -> api.post(preview, one("{\"kind\": \"gender\", \"genders\": [\"ROBOT\"]}"))),
                bad("merged status", 400, "invalid_request",
                        api -> api.post(preview, one("{\"kind\": \"status\", \"statuses\": [\"MERGED\"]}"))),
                bad("consent without a value", 400, "invalid_request",
                        api -> api.post(preview, one("{\"kind\": \"marketingConsent\"}"))),
                bad("SKU with a space", 400, "invalid_request",
                        api -> api.post(preview, one("{\"kind\": \"skusBought\", \"skus\": [\"A B\"]}"))),
                bad("one kind twice in a group", 400, "invalid_request", api -> api.post(preview,
                        "{\"criteria\": [{\"kind\": \"ageBand\", \"bands\": [\"20-29\"]}, {\"kind\": \"ageBand\","
                                + " \"bands\": [\"30-39\"]}]}")),
                bad("bought and not bought", 400, "invalid_request", api -> api.post(preview,
                        "{\"criteria\": [{\"kind\": \"categoriesBought\", \"categories\": [\"FOOD\"]},"
                                + " {\"kind\": \"categoriesNotBought\", \"categories\": [\"FOOD\", \"SNACK\"]}]}")),
                bad("groups nested too deep", 400, "invalid_request", api -> api.post(preview, one(
                        "{\"kind\": \"anyOf\", \"criteria\": [{\"kind\": \"allOf\", \"criteria\": [{\"kind\":"
                                + " \"anyOf\", \"criteria\": [{\"kind\": \"allOf\", \"criteria\": [{\"kind\":"
                                + " \"tenure\", \"minDays\": 1}]}]}]}]}"))),
                bad("no criteria", 400, "invalid_request", api -> api.post(preview, "{\"criteria\": []}")),
                bad("criteria missing", 400, "invalid_request", api -> api.post(preview, "{}")),
                bad("definition not an object", 400, "malformed_json", api -> api.post(preview, "[]")),
                bad("malformed JSON", 400, "malformed_json", api -> api.post(preview, "{\"criteria\": [")),
                bad("segment without name", 400, "invalid_request",
                        api -> api.post(create, "{\"definition\": " + one(TENURE) + "}")),
                bad("segment name too long", 400, "invalid_request", api -> api.post(create,
                        "{\"name\": \"" + "n".repeat(101) + "\", \"definition\": " + one(TENURE) + "}")),
                bad("segment without definition", 400, "invalid_request",
                        api -> api.post(create, "{\"name\": \"no definition\"}")),
                bad("segment with a bad definition", 400, "invalid_request", api -> api.post(create,
                        "{\"name\": \"bad\", \"definition\": " + one("{\"kind\": \"shoeSize\"}") + "}")),
                bad("a name taken", 409, "already_exists", api -> api.post(create,
                        "{\"name\": \"" + existingName + "\", \"definition\": " + one(TENURE) + "}")),
                bad("replacing with a bad definition", 400, "invalid_request", api -> put("/api/v1/segments/"
                        + existing, "{\"name\": \"x\", \"definition\": " + one("{\"kind\": \"tenure\"}") + "}")),
                bad("replacing an unknown segment", 404, "not_found",
                        api -> put(unknown, "{\"name\": \"x\", \"definition\": " + one(TENURE) + "}")),
                bad("deleting an unknown segment", 404, "not_found",
                        api -> api.send(api.request(unknown).DELETE().build())),
                bad("unknown segment", 404, "not_found", api -> api.get(unknown)),
                bad("id that is not an id", 404, "not_found", api -> api.get("/api/v1/segments/42/count")),
                bad("count of an unknown segment", 404, "not_found", api -> api.get(unknown + "/count")),
                bad("members of an unknown segment", 404, "not_found", api -> api.get(unknown + "/members")),
                bad("export of an unknown segment", 404, "not_found", api -> api.get(unknown + "/members.csv")),
                bad("cursor that is not one", 400, "invalid_request",
                        api -> api.get("/api/v1/segments/" + existing + "/members?after=7")),
                bad("page of 0", 400, "invalid_request",
                        api -> api.get("/api/v1/segments/" + existing + "/members?limit=0")),
                bad("page too large", 400, "invalid_request",
                        api -> api.get("/api/v1/segments/" + existing + "/members?limit=1001")));
    }

    private static final String TENURE = "{\"kind\": \"tenure\", \"minDays\": 1}";
    private static String existing;
    private static String existingName;

    private static String one(String criterion) {
        return "{\"criteria\": [" + criterion + "]}";
    }

    private static Arguments bad(String name, int status, String code, Function<ApiClient, Reply> request) {
        return Arguments.of(name, status, code, request);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badInputGetsAProblemAndChangesNothing(String name, int status, String code,
                                               Function<ApiClient, Reply> request) {
        Map<String, Long> before = RowCounts.snapshot(kizuna.database().dataSource());
        String segment = admin.get("/api/v1/segments/" + existing).expect(200).text();
        Reply reply = request.apply(admin);
        reply.problem(status, code);
        assertFalse(reply.text().contains("Exception") || reply.text().contains("SELECT"), reply.text());
        assertEquals(before, RowCounts.snapshot(kizuna.database().dataSource()), "nothing was written");
        assertEquals(segment, admin.get("/api/v1/segments/" + existing).expect(200).text(), "nor changed");
    }

    private static JsonNode memberRow(JsonNode page, String id) {
        for (JsonNode member : page.get("members")) {
            if (member.get("memberId").asText().equals(id)) {
                return member;
            }
        }
        throw new AssertionError("member " + id + " is not on the page");
    }

    static String save(String definition) {
        return admin.post("/api/v1/segments", "{\"name\": \"s-" + UUID.randomUUID() + "\", \"definition\": "
                + definition + "}").expect(201).at("/id");
    }

    static List<String> allMembers(String id) {
        List<String> members = new ArrayList<>();
        admin.get("/api/v1/segments/" + id + "/members?limit=1000").expect(200).json().get("members")
                .forEach(member -> members.add(member.get("memberId").asText()));
        return members;
    }

    static Reply put(String path, String body) {
        return admin.send(admin.request(path).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static Set<String> names(List<String> ids) {
        Map<String, String> names = Map.of(aiko, "aiko", ben, "ben", chie, "chie", dan, "dan", emi, "emi",
                fumi, "fumi");
        return ids.stream().map(id -> names.getOrDefault(id, id)).collect(Collectors.toCollection(TreeSet::new));
    }

    private static long lastPosition() {
        try (var connection = kizuna.database().dataSource().getConnection();
             var select = connection.prepareStatement("SELECT position FROM feed_cursor WHERE name = 'projections'");
             var row = select.executeQuery()) {
            row.next();
            return row.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
