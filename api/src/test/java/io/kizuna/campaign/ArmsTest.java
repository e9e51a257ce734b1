package io.kizuna.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** The arm hash: deterministic, the holdout's edges exact, and the split near the share asked for. */
class ArmsTest {
    private static final UUID CAMPAIGN = UUID.fromString("0190f4c2-1234-7000-8000-000000000001");

    @Test
    void theSameCampaignAndMemberAlwaysGetTheSameArm() {
        UUID member = UUID.fromString("0190f4c2-5678-7000-8000-000000000002");
        BigDecimal holdout = new BigDecimal("0.3");
        boolean first = Arms.isControl(CAMPAIGN, member, holdout);
        for (int i = 0; i < 10; i++) {
            assertEquals(first, Arms.isControl(CAMPAIGN, member, holdout));
        }
    }

    @Test
    void noHoldoutMeansNobodyInControlAndTheThresholdScalesTwoToTheSixtyFour() {
        assertEquals("0", Arms.threshold(BigDecimal.ZERO));
        assertEquals(BigInteger.ONE.shiftLeft(63).toString(), Arms.threshold(new BigDecimal("0.5")));
        for (int i = 0; i < 1000; i++) {
            assertFalse(Arms.isControl(CAMPAIGN, UUID.randomUUID(), BigDecimal.ZERO));
        }
    }

    @Test
    void theControlShareIsNearTheHoldout() {
        int members = 20_000;
        int control = 0;
        for (int i = 0; i < members; i++) {
            control += Arms.isControl(CAMPAIGN, UUID.randomUUID(), new BigDecimal("0.1")) ? 1 : 0;
        }
        double standardError = Math.sqrt(members * 0.1 * 0.9);
        assertTrue(Math.abs(control - members * 0.1) <= 4 * standardError, control + " of " + members);
    }

    @Test
    void theHashIsTheFirstEightBytesOfSha256OfBothIds() throws Exception {
        UUID member = UUID.fromString("0190f4c2-5678-7000-8000-000000000002");
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        java.nio.ByteBuffer ids = java.nio.ByteBuffer.allocate(32)
                .putLong(CAMPAIGN.getMostSignificantBits()).putLong(CAMPAIGN.getLeastSignificantBits())
                .putLong(member.getMostSignificantBits()).putLong(member.getLeastSignificantBits());
        byte[] digest = sha.digest(ids.array());
        assertEquals(new BigInteger(1, java.util.Arrays.copyOf(digest, 8)), Arms.hash(CAMPAIGN, member));
    }
}
