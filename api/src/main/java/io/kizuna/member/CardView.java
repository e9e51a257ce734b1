package io.kizuna.member;

import java.time.Instant;

import io.kizuna.card.CardNumber;

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
