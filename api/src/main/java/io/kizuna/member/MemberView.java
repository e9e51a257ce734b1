package io.kizuna.member;

import java.time.Instant;
import java.util.List;

public record MemberView(MemberId id,
                         MemberStatus status,
                         Profile profile,
                         Consents consents,
                         List<CardView> cards,
                         MemberId mergedInto,
                         Instant enrolledAt,
                         Instant updatedAt) {
}
