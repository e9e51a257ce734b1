package io.kizuna.member;

import io.kizuna.card.CardNumber;
import java.time.Instant;

public record CardView(CardNumber number,
                       CardKind kind,
                       CardStatus status,
                       MemberId memberId,
                       Instant issuedAt,
                       Instant registeredAt,
                       Instant blockedAt,
                       String blockReason,
                       CardNumber replacedBy) {
}
