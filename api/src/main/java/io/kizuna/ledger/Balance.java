package io.kizuna.ledger;

import java.time.YearMonth;
import java.util.List;

/**
 * A wallet's balance as a member sees it.
 *
 * @param available spendable now (negative after a clawback of points already spent)
 * @param pending   earned, not yet spendable until the return window passes
 * @param held      reserved by redemptions in progress at a till
 * @param expiring  what will expire, by the last month it can still be spent
 */
public record Balance(AccountId wallet, long available, long pending, long held, List<ExpiringPoints> expiring) {
    public record ExpiringPoints(YearMonth month, long points) {
    }
}
