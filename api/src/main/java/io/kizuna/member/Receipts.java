package io.kizuna.member;

import io.kizuna.persistence.Idempotency.Replayable;

/** Answers to member and card commands; a replay is the stored answer to an earlier identical command. */
public final class Receipts {
    private Receipts() {
    }

    public record MemberReceipt(MemberView member, boolean replay) implements Replayable<MemberReceipt> {
        @Override
        public MemberReceipt asReplay() {
            return new MemberReceipt(member, true);
        }
    }

    public record CardReceipt(CardView card, boolean replay) implements Replayable<CardReceipt> {
        @Override
        public CardReceipt asReplay() {
            return new CardReceipt(card, true);
        }
    }

    /** A registration or a merge: what moved where. {@code pointsMoved} is negative when a debt moved. */
    public record MoveReceipt(MemberView member, CardView card, long pointsMoved, boolean replay)
            implements Replayable<MoveReceipt> {
        @Override
        public MoveReceipt asReplay() {
            return new MoveReceipt(member, card, pointsMoved, true);
        }
    }
}
