package io.kizuna.member;

/** What the member agreed to, per purpose. Both default to no. */
public record Consents(boolean marketingMessages, boolean analyticsUse) {
    public static final Consents NONE = new Consents(false, false);
}
