package io.kizuna.till;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.kizuna.testing.ApiClient;
import io.kizuna.testing.ApiClient.Reply;
import io.kizuna.testing.RowCounts;
import io.kizuna.testing.SharedData;
import io.kizuna.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ARTS POSLog ingest: the vendors' own documents, and the rules on a document of our own. */
class PosLogTest {
    private static final ApiClient ADMIN = TestServer.admin();
    private static final Map<String, String> STORE_OF_DOCUMENT = Map.of(
            "ncr_acs_SMALL.xml", "9", "roqqio_sale_with_customer.xml", "100");

    @BeforeAll
    static void theDocumentsStores() {
        for (String store : List.of("9", "100", "POSLOG")) {
            ADMIN.post("/api/v1/stores", "{\"code\": \"" + store + "\", \"name\": \"Store " + store + "\"}")
                    .expect(201);
        }
    }

    @AfterEach
    void ledgerBalances() {
        ADMIN.assertLedgerBalanced();
    }

    @Test
    void everySharedDocumentIngestsWithTotalsMatchingTheDocumentsOwn() throws IOException {
        Path folder = SharedData.folder("poslog");
        List<Path> documents;
        try (Stream<Path> files = Files.list(folder)) {
            documents = files.filter(path -> path.toString().endsWith(".xml")).sorted().toList();
        }
        assertFalse(documents.isEmpty());
        for (Path document : documents) {
            String store = STORE_OF_DOCUMENT.get(document.getFileName().toString());
            if (store == null) {
                fail("no store known for " + document.getFileName());
            }
            ApiClient till = terminalOf(store, "upload-" + store);
            Reply first = post(till, Files.readAllBytes(document)).expect(200);
            assertEquals(0, first.number("/rejected"), document + ": " + first.text());
            assertTrue(first.number("/accepted") >= 1, document + ": " + first.text());
            for (JsonNode transaction : first.json().at("/transactions")) {
                if ("ACCEPTED".equals(transaction.at("/status").asText())) {
                    assertEquals(transaction.at("/documentTotal").asLong(), transaction.at("/total").asLong(),
                            document + " transaction " + transaction);
                }
            }
            Reply again = post(till, Files.readAllBytes(document)).expect(200);
            assertEquals(first.number("/accepted"), again.number("/duplicates"), "a second upload changes nothing");
            assertEquals(0, again.number("/accepted"));
        }
    }

    @Test
    void aDocumentOfAnotherStoreIsRejectedTransactionByTransaction() throws IOException {
        ApiClient till = terminalOf("POSLOG", "other");
        Path document = SharedData.folder("poslog").resolve("roqqio_sale_with_customer.xml");
        Reply reply = post(till, Files.readAllBytes(document)).expect(200);
        assertEquals(1, reply.number("/rejected"));
        assertTrue(reply.at("/transactions/0/reason").contains("not this terminal's store"));
    }

    @Test
    void cardsEarnVoidedLinesAndTrainingAreLeftOutAndReturnsFindTheirSale() {
        String member = ADMIN.enroll("POSLog Shopper");
        String card = ADMIN.get("/api/v1/members/" + member).at("/cards/0/number");
        ApiClient till = terminalOf("POSLOG", "T1");
        String sale = """
                <POSLog xmlns="http://www.nrf-arts.org/IXRetail/namespace/" xmlns:v="urn:vendor">
                  <Transaction>
                    <RetailStoreID>POSLOG</RetailStoreID><WorkstationID>7</WorkstationID>
                    <SequenceNumber>501</SequenceNumber><BusinessDayDate>2026-04-05</BusinessDayDate>
                    <CurrencyCode>JPY</CurrencyCode>
                    <RetailTransaction>
                      <LineItem><SequenceNumber>1</SequenceNumber><Sale><ItemID>4901234567894</ItemID>
                        <ExtendedAmount>1200</ExtendedAmount><Quantity>2</Quantity><v:Extra>x</v:Extra></Sale></LineItem>
                      <LineItem VoidFlag="true"><SequenceNumber>2</SequenceNumber><Sale><ItemID>4901234567894</ItemID>
                        <ExtendedAmount>9900</ExtendedAmount><Quantity>1</Quantity></Sale></LineItem>
                      <Total TotalType="TransactionGrandAmount">1200</Total>
                      <LoyaltyAccount><LoyaltyCard><PrimaryAccountNumber>%s</PrimaryAccountNumber></LoyaltyCard></LoyaltyAccount>
                    </RetailTransaction>
                  </Transaction>
                  <Transaction TrainingModeFlag="true">
                    <RetailStoreID>POSLOG</RetailStoreID><WorkstationID>7</WorkstationID>
                    <SequenceNumber>502</SequenceNumber><BusinessDayDate>2026-04-05</BusinessDayDate>
                    <RetailTransaction><LineItem><Sale><ItemID>1</ItemID><ExtendedAmount>5000</ExtendedAmount></Sale>
                    </LineItem></RetailTransaction>
                  </Transaction>
                  <Transaction>
                    <RetailStoreID>POSLOG</RetailStoreID><WorkstationID>7</WorkstationID>
                    <SequenceNumber>503</SequenceNumber><BusinessDayDate>2026-04-06</BusinessDayDate>
                    <RetailTransaction>
                      <LineItem><SequenceNumber>1</SequenceNumber><Return><ItemID>4901234567894</ItemID>
                        <ExtendedAmount>600</ExtendedAmount><Quantity>1</Quantity>
                        <TransactionLink><LineItemSequenceNumber>1</LineItemSequenceNumber></TransactionLink></Return>
                      </LineItem>
                      <TransactionLink><BusinessDayDate>2026-04-05</BusinessDayDate><WorkstationID>7</WorkstationID>
                        <SequenceNumber>501</SequenceNumber></TransactionLink>
                      <Total TotalType="TransactionGrandAmount">-600</Total>
                    </RetailTransaction>
                  </Transaction>
                </POSLog>""".formatted(card);
        Reply reply = post(till, sale.getBytes(java.nio.charset.StandardCharsets.UTF_8)).expect(200);
        assertEquals("ACCEPTED", reply.at("/transactions/0/status"), reply.text());
        assertEquals(1200, reply.number("/transactions/0/total"), "the voided line is not part of the sale");
        assertEquals(12, reply.number("/transactions/0/pointsEarned"));
        assertEquals("SKIPPED", reply.at("/transactions/1/status"));
        assertEquals("ACCEPTED", reply.at("/transactions/2/status"), reply.text());
        assertEquals(-600, reply.number("/transactions/2/total"));
        assertEquals(-6, reply.number("/transactions/2/pointsEarned"), "half the sale came back");
        assertEquals(6, ADMIN.get("/api/v1/members/" + member + "/balance").number("/available"));
    }

    @Test
    void externalEntitiesAndEntityExpansionAreRefusedAndWriteNothing() {
        ApiClient till = terminalOf("POSLOG", "XXE");
        var before = RowCounts.snapshot();
        String external = """
                <?xml version="1.0"?>
                <!DOCTYPE POSLog [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
                <POSLog><Transaction><RetailStoreID>&secret;</RetailStoreID></Transaction></POSLog>""";
        String laughs = """
                <?xml version="1.0"?>
                <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
                <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
                <POSLog>&lol3;</POSLog>""";
        for (String xml : List.of(external, laughs, "<POSLog><Transaction>", "not xml at all")) {
            Reply reply = post(till, xml.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            reply.problem(400, "malformed_xml");
            assertFalse(reply.text().contains("root:"), "no file content leaks");
        }
        till.send(till.request("/pos/v1/poslog").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build()).problem(415, "unsupported_media_type");
        assertEquals(before, RowCounts.snapshot());
    }

    private static Reply post(ApiClient till, byte[] xml) {
        return till.send(till.request("/pos/v1/poslog").header("Content-Type", "application/xml")
                .POST(HttpRequest.BodyPublishers.ofByteArray(xml)).build());
    }

    private static ApiClient terminalOf(String store, String code) {
        return TestServer.as(ADMIN.post("/api/v1/stores/" + store + "/terminals", "{\"code\": \"" + code + "\"}")
                .expect(201).at("/key"));
    }
}
