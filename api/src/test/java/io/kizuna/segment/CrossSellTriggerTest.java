package io.kizuna.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.kizuna.Kizuna;
import io.kizuna.testing.ApiClient;
import io.kizuna.testing.Shop;
import io.kizuna.testing.TestServer;
import org.junit.jupiter.api.Test;

/**
 * The cross-sell trigger from the analytics issue's rules: 20 members, one basket each. Six buy FOOD and DRINK
 * together, two FOOD alone, one DRINK alone, eleven SNACK alone. FOOD → DRINK: confidence 6/8, lift 0.75 / (7/20)
 * = 2.14; DRINK → FOOD: confidence 6/7, lift 0.857 / (8/20) = 2.14. So at lift 2 the openings are the two who bought
 * FOOD without DRINK and the one who bought DRINK without FOOD; at lift 3 there are none.
 */
class CrossSellTriggerTest {
    @Test
    void membersWhoBoughtARulesAntecedentButNeverItsConsequentAreTheOpening() {
        try (Kizuna kizuna = TestServer.startOwn("crosssell" + System.nanoTime())) {
            ApiClient admin = TestServer.client(kizuna.port(), TestServer.ADMIN_KEY);
            Shop shop = Shop.open(admin);
            LocalDate today = TestServer.CLOCK.instant().atZone(ZoneId.of("Asia/Tokyo")).toLocalDate();
            Set<String> openings = new TreeSet<>();
            for (int i = 0; i < 20; i++) {
                Shop.Member member = Shop.enroll(admin, "\"profile\": {\"name\": \"Buyer " + i + "\"}");
                List<Shop.Line> basket = new ArrayList<>();
                if (i < 8) {
                    basket.add(Shop.line("4901234567894", "FOOD", 500));
                }
                if (i < 6 || i == 8) {
                    basket.add(Shop.line("4909999999990", "DRINK", 200));
                }
                if (i > 8) {
                    basket.add(Shop.line("4905555555555", "SNACK", 150));
                }
                shop.sale(member.card(), today, basket.toArray(Shop.Line[]::new));
                if (i == 6 || i == 7 || i == 8) {
                    openings.add(member.id());
                }
            }
            kizuna.core().dispatcher.run();
            kizuna.core().analytics.recompute.run((stage, percent) -> { });

            assertEquals(openings, preview(admin, 2.0));
            assertEquals(Set.of(), preview(admin, 3.0), "no rule is that strong");
            assertEquals(400, admin.post("/api/v1/segments/preview", "{\"criteria\": [{\"kind\": \"crossSell\"}]}")
                    .json().get("status").asInt(), "minLift is required");
        }
    }

    private static Set<String> preview(ApiClient admin, double minLift) {
        String id = admin.post("/api/v1/segments", "{\"name\": \"cross-sell " + minLift + "\", \"definition\":"
                + " {\"criteria\": [{\"kind\": \"crossSell\", \"minLift\": " + minLift + "}]}}").expect(201).at("/id");
        Set<String> members = new TreeSet<>();
        admin.get("/api/v1/segments/" + id + "/members?limit=1000").json().get("members")
                .forEach(member -> members.add(member.get("memberId").asText()));
        return members;
    }
}
