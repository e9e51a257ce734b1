package io.kizuna.ledger;

import java.util.List;

/** One page of a wallet's history, newest first; {@code nextCursor} is null on the last page. */
public record HistoryPage(List<TransferView> items, String nextCursor) {
}
