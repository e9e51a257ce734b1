package io.kizuna.segment;

/**
 * What segments need to know of the program's tiers, answered by the tiers feature as of one evaluation: the
 * lowest tier (members without a tier row hold it) and the member ids of the "at risk of downgrade" and "close to
 * upgrade" groups, as SELECTs that a criterion embeds.
 */
public interface TierTerms {
    String lowestTierCode();

    /** {@code SELECT member_id ...}: members who would lose their tier at the next review as things stand. */
    SqlCondition atRiskMemberIds();

    /** {@code SELECT member_id ...}: members missing at most the configured share of the next tier's threshold. */
    SqlCondition closeToUpgradeMemberIds();
}
