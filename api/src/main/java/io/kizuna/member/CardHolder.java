package io.kizuna.member;

import io.kizuna.card.CardNumber;
import io.kizuna.ledger.AccountId;

/**
 * Who stands behind a card at a till: the wallet it earns into, and the member when it is registered.
 *
 * @param memberId   null for an unregistered card
 * @param maskedName the member's name with all but the first letter of each word hidden, or null
 */
public record CardHolder(CardNumber card, AccountId wallet, MemberId memberId, MemberStatus memberStatus,
                         String maskedName) {
    /** A till may earn and spend for an unregistered card or an active member, not for anyone else. */
    public boolean canTransact() {
        return memberId == null || memberStatus == MemberStatus.ACTIVE;
    }

    static String mask(String name) {
        if (name == null) {
            return null;
        }
        StringBuilder masked = new StringBuilder();
        for (String word : name.strip().split("\\s+")) {
            if (!masked.isEmpty()) {
                masked.append(' ');
            }
            int first = word.codePointAt(0);
            masked.appendCodePoint(first).append("*".repeat(word.codePointCount(0, word.length()) - 1));
        }
        return masked.toString();
    }
}
