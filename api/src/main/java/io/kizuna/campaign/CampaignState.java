package io.kizuna.campaign;

import java.util.Map;
import java.util.Set;

/** Where a campaign is in its life: draft → scheduled → active ⇄ paused → ended. Only drafts can be edited. */
public enum CampaignState {
    DRAFT,
    SCHEDULED,
    ACTIVE,
    PAUSED,
    ENDED;

    private static final Map<CampaignState, Set<CampaignState>> NEXT = Map.of(
            DRAFT, Set.of(SCHEDULED),
            SCHEDULED, Set.of(ACTIVE, DRAFT),
            ACTIVE, Set.of(PAUSED, ENDED),
            PAUSED, Set.of(ACTIVE, ENDED),
            ENDED, Set.of());

    public boolean canBecome(CampaignState next) {
        return NEXT.get(this).contains(next);
    }
}
