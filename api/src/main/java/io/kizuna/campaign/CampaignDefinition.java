package io.kizuna.campaign;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import io.kizuna.error.KizunaException;
import io.kizuna.ledger.Points;

/**
 * A campaign as marketers define it, checked strictly when read. The code is stable: rule ids are
 * {@code campaign:<code>} on receipts and in the app's history.
 *
 * @param audience  saved segments whose members qualify (any of them)
 * @param requiresEntry treatment members earn only after opting in from the app (false when not given)
 * @param budget    the points the campaign may award in all; issuing stops when they are spent
 * @param memberCap the points one member may get from it at most; null for no cap
 * @param priority  stacking order after the base and tier rules: lower runs first
 * @param holdout   the share of the audience kept as the control group, 0 to 0.5
 */
public record CampaignDefinition(String code, String name, List<UUID> audience, Instant startsAt, Instant endsAt,
                                 Reward reward, Boolean requiresEntry, long budget, Long memberCap, int priority,
                                 BigDecimal holdout) {
    private static final Pattern CODE = Pattern.compile("[A-Z0-9][A-Z0-9_-]{0,39}");
    private static final int MAX_SEGMENTS = 20;
    private static final BigDecimal MAX_HOLDOUT = new BigDecimal("0.5");

    public CampaignDefinition {
        if (code == null || !CODE.matcher(code).matches()) {
            throw KizunaException.invalid("code is 1 to 40 capital letters, digits, '_' or '-'.");
        }
        if (name == null || name.isBlank() || name.length() > 100) {
            throw KizunaException.invalid("name is 1 to 100 characters.");
        }
        if (audience == null || audience.isEmpty() || audience.size() > MAX_SEGMENTS || audience.contains(null)
                || new HashSet<>(audience).size() != audience.size()) {
            throw KizunaException.invalid("audience is a list of 1 to " + MAX_SEGMENTS + " different segment ids.");
        }
        if (startsAt == null || endsAt == null || !endsAt.isAfter(startsAt)) {
            throw KizunaException.invalid("The window needs startsAt and an endsAt after it.");
        }
        if (reward == null) {
            throw KizunaException.invalid("reward is required; the kinds are " + Reward.kinds() + ".");
        }
        if (budget < 1 || budget > Points.MAX) {
            throw KizunaException.invalid("budget is 1 to " + Points.MAX + " points.");
        }
        if (memberCap != null && (memberCap < 1 || memberCap > budget)) {
            throw KizunaException.invalid("memberCap is 1 to the budget, or absent for no cap.");
        }
        if (priority < 0 || priority > 1000) {
            throw KizunaException.invalid("priority is 0 to 1000.");
        }
        if (holdout == null || holdout.signum() < 0 || holdout.compareTo(MAX_HOLDOUT) > 0 || holdout.scale() > 4) {
            throw KizunaException.invalid("holdout is a share from 0 to 0.5 with at most 4 decimals.");
        }
        audience = List.copyOf(audience);
        requiresEntry = Boolean.TRUE.equals(requiresEntry);
    }

    public String ruleId() {
        return CampaignEarning.RULE_PREFIX + code;
    }
}
