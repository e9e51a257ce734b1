package io.kizuna.feed;

import com.fasterxml.jackson.annotation.JsonValue;

/** What happened, as the feed names it. The names are a published contract: they never change. */
public enum EventType {
    PURCHASE_RECORDED("purchase.recorded"),
    PURCHASE_RETURNED("purchase.returned"),
    POINTS_MOVED("points.moved"),
    MEMBER_ENROLLED("member.enrolled"),
    CONSENTS_CHANGED("member.consents-changed"),
    TIER_CHANGED("member.tier-changed");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    public static EventType ofWireName(String name) {
        for (EventType type : values()) {
            if (type.wireName.equals(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("No event type is called " + name);
    }
}
