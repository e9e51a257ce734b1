package io.kizuna.ledger;

/** What one run of the expiry job did. */
public record ExpiryRun(int pendingPosted, int holdsExpired, int walletsExpired, long pointsExpired) {
}
