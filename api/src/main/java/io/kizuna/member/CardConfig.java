package io.kizuna.member;

import io.helidon.config.Config;

/** @param prefix the program's two-digit GS1 restricted-circulation prefix (20 to 29) for new card numbers */
public record CardConfig(String prefix) {
    public CardConfig {
        if (prefix == null || !prefix.matches("2[0-9]")) {
            throw new IllegalArgumentException("kizuna.cards.prefix must be two digits from 20 to 29");
        }
    }

    public static CardConfig from(Config cards) {
        return new CardConfig(cards.get("prefix").asString().orElse("29"));
    }
}
