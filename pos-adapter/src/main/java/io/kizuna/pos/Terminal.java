package io.kizuna.pos;

/** An authenticated till: the store it belongs to and its number there. */
public record Terminal(String storeCode, String terminalCode) {
    /** The till's idempotency key of a receipt: store, terminal, business day and receipt number. */
    public String receiptKey(java.time.LocalDate businessDay, String receiptNumber) {
        return storeCode + "/" + terminalCode + "/" + businessDay + "/" + receiptNumber;
    }
}
