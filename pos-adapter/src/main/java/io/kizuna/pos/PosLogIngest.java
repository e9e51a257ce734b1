package io.kizuna.pos;

import java.util.List;

import io.kizuna.card.CardNumber;
import io.kizuna.error.KizunaException;
import io.kizuna.pos.PosLogReader.Entry;

/**
 * Feeds the transactions of a POSLog document to the port one by one, each exactly once under its own receipt
 * key, and says what became of each: accepted, duplicate (seen before), skipped (training, cancelled, not a sale)
 * or rejected (with the reason). One bad transaction never stops the others.
 */
public final class PosLogIngest {
    private final PosPort port;
    private final PosLogReader reader;

    public PosLogIngest(PosPort port, PosLogReader reader) {
        this.port = port;
        this.reader = reader;
    }

    public enum Status { ACCEPTED, DUPLICATE, SKIPPED, REJECTED }

    /**
     * @param total         what Kizuna recorded, in the currency's minor unit
     * @param documentTotal the document's own TransactionGrandAmount, in the same unit
     */
    public record Result(int index, String workstation, String receiptNumber, Status status, String reason,
                         String receiptId, Long total, Long documentTotal, Long pointsEarned) {
    }

    public record Reply(int accepted, int duplicates, int skipped, int rejected, List<Result> transactions) {
        static Reply of(List<Result> results) {
            return new Reply(count(results, Status.ACCEPTED), count(results, Status.DUPLICATE),
                    count(results, Status.SKIPPED), count(results, Status.REJECTED), results);
        }

        private static int count(List<Result> results, Status status) {
            return (int) results.stream().filter(result -> result.status() == status).count();
        }
    }

    public Reply ingest(Terminal terminal, byte[] document) {
        return Reply.of(reader.read(document).stream().map(entry -> ingest(terminal, entry)).toList());
    }

    private Result ingest(Terminal terminal, Entry entry) {
        Entry.Header header = entry.header();
        if (entry instanceof Entry.Skipped skipped) {
            return result(header, Status.SKIPPED, skipped.reason());
        }
        if (entry instanceof Entry.Invalid invalid) {
            return result(header, Status.REJECTED, invalid.reason());
        }
        if (!terminal.storeCode().equals(header.store())) {
            return result(header, Status.REJECTED, "store " + header.store() + " is not this terminal's store");
        }
        Terminal till = new Terminal(terminal.storeCode(), header.workstation());
        try {
            return switch (entry) {
                case Entry.SaleEntry sale -> recordSale(till, header, sale);
                case Entry.ReturnEntry back -> {
                    PosProtocol.ReturnReply reply = port.recordReturn(till, back.request());
                    yield new Result(header.index(), header.workstation(), header.receiptNumber(),
                            reply.replay() ? Status.DUPLICATE : Status.ACCEPTED, null, reply.receiptId(),
                            -reply.amountReturned(), back.documentTotal(), -reply.pointsReversed());
                }
                default -> throw new IllegalStateException("unexpected " + entry);
            };
        } catch (KizunaException refused) {
            return result(header, Status.REJECTED, refused.code().code() + ": " + refused.getMessage());
        }
    }

    private Result recordSale(Terminal till, Entry.Header header, Entry.SaleEntry entry) {
        String card = kizunaCard(entry.loyaltyId());
        PosProtocol.Sale sale = entry.sale();
        PosProtocol.SaleReply reply = port.recordSale(till, new PosProtocol.Sale(sale.businessDay(),
                sale.receiptNumber(), card, sale.currency(), sale.lines(), sale.tenders()));
        String note = entry.loyaltyId() != null && card == null
                ? "loyalty id is not a Kizuna card number: recorded without points" : null;
        return new Result(header.index(), header.workstation(), header.receiptNumber(),
                reply.replay() ? Status.DUPLICATE : Status.ACCEPTED, note, reply.receiptId(), sale.total(),
                entry.documentTotal(), reply.points().earned());
    }

    private static String kizunaCard(String loyaltyId) {
        if (loyaltyId == null) {
            return null;
        }
        try {
            return CardNumber.parse(loyaltyId).value();
        } catch (KizunaException notOurs) {
            return null;
        }
    }

    private static Result result(Entry.Header header, Status status, String reason) {
        return new Result(header.index(), header.workstation(), header.receiptNumber(), status, reason, null, null,
                null, null);
    }
}
