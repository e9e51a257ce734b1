package io.kizuna.ledger;

import java.time.Instant;
import java.util.List;

/**
 * The result of checking the ledger's invariants over one consistent snapshot.
 *
 * @param balanced         true when no violation was found
 * @param sumOfAllBalances posted balances of every account, wallets and program accounts together: always 0
 * @param totals           the program's points liability at the time of the check
 * @param violations       every broken invariant, each naming the rule and the row
 */
public record AuditReport(boolean balanced,
                          Instant checkedAt,
                          long accounts,
                          long transfers,
                          long lots,
                          long sumOfAllBalances,
                          Totals totals,
                          List<Violation> violations) {

    /**
     * @param outstanding points posted in wallets (the liability)
     * @param pending     points earned but not yet posted
     * @param held        points held by redemptions in progress
     * @param issued      points ever issued (earned and credited by adjustments, net of reversals)
     * @param redeemed    points spent, net of reversals
     * @param expired     points expired
     */
    public record Totals(long outstanding, long pending, long held, long issued, long redeemed, long expired) {
    }

    /** One broken invariant: which rule, on which row, and what was found. */
    public record Violation(String rule, String subject, String detail) {
    }
}
