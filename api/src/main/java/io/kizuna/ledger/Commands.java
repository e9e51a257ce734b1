package io.kizuna.ledger;

import java.time.Duration;
import java.util.Objects;

import io.kizuna.error.KizunaException;

/** The commands the ledger accepts. Each is a plain record so that it can be hashed for idempotency. */
public final class Commands {
    private Commands() {
    }

    /** Credits earned points, posted at once or pending for {@code pendingFor} (a return window). */
    public record Earn(AccountId wallet, Points points, Memo memo, Duration pendingFor) {
        public Earn {
            Objects.requireNonNull(wallet, "wallet");
            Objects.requireNonNull(points, "points");
            memo = memo == null ? Memo.NONE : memo;
            if (pendingFor != null && (pendingFor.isNegative() || pendingFor.isZero())) {
                throw KizunaException.invalid("A pending earn needs a positive window.");
            }
        }

        public static Earn posted(AccountId wallet, Points points, Memo memo) {
            return new Earn(wallet, points, memo, null);
        }

        public static Earn pending(AccountId wallet, Points points, Memo memo, Duration window) {
            return new Earn(wallet, points, memo, Objects.requireNonNull(window, "window"));
        }
    }

    /** Spends points at once. Never takes a wallet below zero. */
    public record Redeem(AccountId wallet, Points points, Memo memo) {
        public Redeem {
            Objects.requireNonNull(wallet, "wallet");
            Objects.requireNonNull(points, "points");
            memo = memo == null ? Memo.NONE : memo;
        }
    }

    /** Reserves points for a redemption; captured, released, or expired after {@code timeout}. */
    public record Hold(AccountId wallet, Points points, Memo memo, Duration timeout) {
        public Hold {
            Objects.requireNonNull(wallet, "wallet");
            Objects.requireNonNull(points, "points");
            memo = memo == null ? Memo.NONE : memo;
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw KizunaException.invalid("A hold needs a positive timeout.");
            }
        }
    }

    /** Posts a pending transfer: all of it, or {@code points} of it with the rest given back. */
    public record Capture(TransferId pending, Points points) {
        public Capture {
            Objects.requireNonNull(pending, "pending transfer");
        }

        public static Capture all(TransferId pending) {
            return new Capture(pending, null);
        }
    }

    /** Voids a pending transfer. */
    public record Release(TransferId pending) {
        public Release {
            Objects.requireNonNull(pending, "pending transfer");
        }
    }

    /** Undoes all that is left of a posted transfer, or {@code points} of it. */
    public record Reverse(TransferId original, Points points, Memo memo) {
        public Reverse {
            Objects.requireNonNull(original, "original transfer");
            memo = memo == null ? Memo.NONE : memo;
        }

        public static Reverse all(TransferId original, Memo memo) {
            return new Reverse(original, null, memo);
        }
    }

    /** A manual correction: positive credits the wallet, negative debits it. Needs a reason and an actor. */
    public record Adjust(AccountId wallet, long points, Memo memo) {
        public Adjust {
            Objects.requireNonNull(wallet, "wallet");
            if (points == 0 || Math.abs(points) > Points.MAX) {
                throw KizunaException.invalid("An adjustment moves 1 to " + Points.MAX + " points, up or down.");
            }
            if (memo == null || memo.reason() == null || memo.actor() == null) {
                throw KizunaException.invalid("An adjustment needs a reason and an actor.");
            }
        }
    }
}
