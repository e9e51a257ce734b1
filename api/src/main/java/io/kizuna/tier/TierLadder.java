package io.kizuna.tier;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import io.kizuna.error.KizunaException;

/**
 * The program's tiers, validated as a whole and ordered by rank: ranks unique, thresholds rising strictly with
 * rank, the lowest tier open to everyone (threshold 0), multipliers from 1 to 10.
 */
public record TierLadder(List<TierDefinition> tiers) {
    static final int MAX_TIERS = 10;
    static final BigDecimal MAX_MULTIPLIER = BigDecimal.TEN;
    private static final Pattern CODE = Pattern.compile("[A-Z][A-Z0-9_]{0,31}");
    private static final int MAX_NAME = 60;
    private static final int MAX_BENEFITS = 10;
    private static final int MAX_BENEFIT = 200;

    public TierLadder {
        tiers = List.copyOf(tiers);
    }

    /** Validates a proposed list (in any order) and answers it ordered by rank; bad input is a 400. */
    public static TierLadder of(List<TierDefinition> proposed) {
        if (proposed == null || proposed.isEmpty() || proposed.size() > MAX_TIERS) {
            throw KizunaException.invalid("A program has 1 to " + MAX_TIERS + " tiers.");
        }
        Set<String> codes = new HashSet<>();
        Set<Integer> ranks = new HashSet<>();
        for (TierDefinition tier : proposed) {
            checkOne(tier);
            if (!codes.add(tier.code())) {
                throw KizunaException.invalid("Two tiers have the code " + tier.code() + ".");
            }
            if (!ranks.add(tier.rank())) {
                throw KizunaException.invalid("Two tiers have rank " + tier.rank() + ".");
            }
        }
        List<TierDefinition> ordered = new ArrayList<>(proposed);
        ordered.sort(Comparator.comparingInt(TierDefinition::rank));
        if (ordered.getFirst().threshold() != 0) {
            throw KizunaException.invalid("The lowest tier (" + ordered.getFirst().code()
                    + ") must have threshold 0: members with no qualifying activity are in it.");
        }
        for (int i = 1; i < ordered.size(); i++) {
            TierDefinition lower = ordered.get(i - 1);
            TierDefinition higher = ordered.get(i);
            if (higher.threshold() <= lower.threshold()) {
                throw KizunaException.invalid("Thresholds must rise with rank: " + higher.code() + " (rank "
                        + higher.rank() + ") needs more than " + lower.code() + "'s " + lower.threshold() + ".");
            }
        }
        return new TierLadder(ordered);
    }

    private static void checkOne(TierDefinition tier) {
        if (tier == null) {
            throw KizunaException.invalid("A tier must not be null.");
        }
        if (tier.code() == null || !CODE.matcher(tier.code()).matches()) {
            throw KizunaException.invalid("A tier code is 1 to 32 upper-case letters, digits or _ (starting with"
                    + " a letter).");
        }
        if (tier.name() == null || tier.name().isBlank() || tier.name().length() > MAX_NAME) {
            throw KizunaException.invalid("Tier " + tier.code() + " needs a name of 1 to " + MAX_NAME
                    + " characters.");
        }
        if (tier.rank() < 1) {
            throw KizunaException.invalid("Tier " + tier.code() + ": rank is 1 or more.");
        }
        if (tier.threshold() < 0) {
            throw KizunaException.invalid("Tier " + tier.code() + ": threshold must not be negative.");
        }
        BigDecimal multiplier = tier.multiplier();
        if (multiplier == null || multiplier.compareTo(BigDecimal.ONE) < 0
                || multiplier.compareTo(MAX_MULTIPLIER) > 0 || multiplier.stripTrailingZeros().scale() > 2) {
            throw KizunaException.invalid("Tier " + tier.code() + ": multiplier is from 1 to " + MAX_MULTIPLIER
                    + " with at most two decimals.");
        }
        if (tier.benefits().size() > MAX_BENEFITS || tier.benefits().stream()
                .anyMatch(benefit -> benefit == null || benefit.isBlank() || benefit.length() > MAX_BENEFIT)) {
            throw KizunaException.invalid("Tier " + tier.code() + ": at most " + MAX_BENEFITS + " benefits of 1 to "
                    + MAX_BENEFIT + " characters.");
        }
    }

    public TierDefinition lowest() {
        return tiers.getFirst();
    }

    /** The best tier whose threshold {@code qualification} reaches. */
    public TierDefinition qualifiedFor(long qualification) {
        TierDefinition best = lowest();
        for (TierDefinition tier : tiers) {
            if (qualification >= tier.threshold()) {
                best = tier;
            }
        }
        return best;
    }

    public Optional<TierDefinition> byCode(String code) {
        return tiers.stream().filter(tier -> tier.code().equals(code)).findFirst();
    }

    /** The tier a member holding {@code code} is in; a code that is gone counts as the lowest tier. */
    public TierDefinition held(String code) {
        return byCode(code).orElse(lowest());
    }

    public Optional<TierDefinition> above(TierDefinition tier) {
        int index = tiers.indexOf(tier);
        return index + 1 < tiers.size() ? Optional.of(tiers.get(index + 1)) : Optional.empty();
    }

    public Optional<TierDefinition> below(TierDefinition tier) {
        int index = tiers.indexOf(tier);
        return index > 0 ? Optional.of(tiers.get(index - 1)) : Optional.empty();
    }
}
