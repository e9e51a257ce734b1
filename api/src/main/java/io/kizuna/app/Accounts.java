package io.kizuna.app;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import io.kizuna.app.AppProtocol.AppConsents;
import io.kizuna.app.AppProtocol.AppProfile;
import io.kizuna.app.AppProtocol.AppSession;
import io.kizuna.app.AppProtocol.Deletion;
import io.kizuna.app.AppProtocol.ExistingCard;
import io.kizuna.app.AppProtocol.PasswordChange;
import io.kizuna.app.AppProtocol.SignIn;
import io.kizuna.app.AppProtocol.SignUp;
import io.kizuna.app.AppProtocol.Tokens;
import io.kizuna.card.CardNumber;
import io.kizuna.db.UuidConverter;
import io.kizuna.error.ErrorCode;
import io.kizuna.error.KizunaException;
import io.kizuna.member.CardKind;
import io.kizuna.member.Cards;
import io.kizuna.member.Consents;
import io.kizuna.member.MemberId;
import io.kizuna.member.Members;
import io.kizuna.member.Profile;
import io.kizuna.persistence.Transactions;
import io.kizuna.staff.AuditLog;
import jakarta.persistence.EntityManager;

/** Sign-up, sign-in, password change and account deletion: everything that checks a password or a card. */
final class Accounts {
    private final Transactions transactions;
    private final Members members;
    private final Cards cards;
    private final AuditLog auditLog;
    private final Sessions sessions;
    private final Passwords passwords;
    private final FailedAttempts attempts;
    private final Clock clock;

    Accounts(Transactions transactions, Members members, Cards cards, AuditLog auditLog, Sessions sessions,
             Passwords passwords, FailedAttempts attempts, Clock clock) {
        this.transactions = transactions;
        this.members = members;
        this.cards = cards;
        this.auditLog = auditLog;
        this.sessions = sessions;
        this.passwords = passwords;
        this.attempts = attempts;
        this.clock = clock;
    }

    private record Account(UUID memberId, String email, String passwordHash) {
    }

    Tokens signUp(SignUp signUp, String clientAddress) {
        String email = MemberApp.normalizeEmail(signUp.email());
        if (email == null || email.isEmpty()) {
            throw KizunaException.invalid("email is required.");
        }
        Passwords.requireAcceptable(signUp.password(), "password");
        Profile profile = profile(Optional.ofNullable(signUp.profile()).orElse(AppProfile.EMPTY), email);
        AppConsents asked = Optional.ofNullable(signUp.consents()).orElse(new AppConsents(false, false));
        Consents consents = new Consents(Boolean.TRUE.equals(asked.marketingMessages()),
                Boolean.TRUE.equals(asked.analyticsUse()));
        CardNumber plastic = signUp.card() == null ? null : checkCard(signUp.card(), clientAddress);
        String hash = passwords.hash(signUp.password());
        return transactions.inTransaction(em -> {
            if (account(em, email).isPresent()) {
                throw new KizunaException(ErrorCode.ALREADY_EXISTS, "An account with this email exists; sign in.");
            }
            MemberId member = members.enrollIn(em, new Members.Enrollment(profile, consents,
                    plastic == null ? CardKind.VIRTUAL : null));
            String actor = "member:" + member;
            long moved = plastic == null ? 0 : cards.registerIn(em, plastic, member, actor);
            em.createNativeQuery("INSERT INTO app_account (member_id, email, password_hash, created_at, updated_at)"
                            + " VALUES (?1, ?2, ?3, ?4, ?4)")
                    .setParameter(1, UuidConverter.toBytes(member.value()))
                    .setParameter(2, email)
                    .setParameter(3, hash)
                    .setParameter(4, Sessions.utc(clock.instant()))
                    .executeUpdate();
            auditLog.recordSelfService(em, actor, "member.sign-up", member.toString(),
                    plastic == null ? "virtual card" : "card=" + plastic + " points=" + moved);
            return sessions.open(em, member.value());
        });
    }

    /**
     * A plastic card is proven by the total of its last purchase: only someone holding the card and its latest
     * receipt knows it. Wrong guesses count against the card and the address like wrong passwords.
     */
    private CardNumber checkCard(ExistingCard card, String clientAddress) {
        CardNumber number = CardNumber.parse(card.number());
        if (card.lastPurchaseTotal() == null) {
            throw KizunaException.invalid("card.lastPurchaseTotal is required to register a plastic card.");
        }
        List<String> subjects = List.of(FailedAttempts.card(number.value()), FailedAttempts.address(clientAddress));
        attempts.requireBelowLimit(subjects);
        List<?> last = transactions.inTransaction(em -> em.createNativeQuery(
                        "SELECT total_amount FROM receipt WHERE card_number = ?1 AND kind = 'SALE'"
                                + " ORDER BY created_at DESC, id DESC LIMIT 1")
                .setParameter(1, number.value())
                .getResultList());
        if (last.isEmpty() || ((Number) last.getFirst()).longValue() != card.lastPurchaseTotal()) {
            attempts.record(subjects);
            throw new KizunaException(ErrorCode.CARD_CHECK_FAILED, "The card number and the total of its last"
                    + " purchase do not match. A card that never made a purchase is registered at a store.");
        }
        return number;
    }

    Tokens signIn(SignIn signIn, String clientAddress) {
        String email = MemberApp.normalizeEmail(signIn.email());
        if (email == null || email.isEmpty() || email.length() > 320 || signIn.password() == null) {
            throw KizunaException.invalid("email and password are required.");
        }
        List<String> subjects = List.of(FailedAttempts.account(email), FailedAttempts.address(clientAddress));
        attempts.requireBelowLimit(subjects);
        Optional<Account> account = transactions.inTransaction(em -> account(em, email));
        if (account.isEmpty()) {
            passwords.checkAgainstNobody(signIn.password());
        }
        if (account.isEmpty() || !passwords.matches(signIn.password(), account.get().passwordHash())) {
            attempts.record(subjects);
            throw new KizunaException(ErrorCode.UNAUTHENTICATED, "The email or the password is wrong.");
        }
        attempts.clear(FailedAttempts.account(email));
        return transactions.inTransaction(em -> sessions.open(em, account.get().memberId()));
    }

    void changePassword(AppSession session, PasswordChange change, String clientAddress) {
        Passwords.requireAcceptable(change.newPassword(), "newPassword");
        requirePassword(session, change.currentPassword(), clientAddress);
        String hash = passwords.hash(change.newPassword());
        transactions.inTransaction(em -> {
            em.createNativeQuery("UPDATE app_account SET password_hash = ?1, updated_at = ?2 WHERE member_id = ?3")
                    .setParameter(1, hash)
                    .setParameter(2, Sessions.utc(clock.instant()))
                    .setParameter(3, UuidConverter.toBytes(session.memberId()))
                    .executeUpdate();
            sessions.revokeAll(em, session.memberId(), session.sessionId());
            auditLog.recordSelfService(em, MemberApp.actor(session), "member.password", session.memberId().toString(),
                    "other sessions revoked");
            return null;
        });
    }

    /** Erases the member's personal data; the ledger, receipts and survey scores stay under a bare id. */
    void delete(AppSession session, Deletion deletion, String clientAddress) {
        requirePassword(session, deletion.password(), clientAddress);
        transactions.inTransaction(em -> {
            MemberId member = new MemberId(session.memberId());
            byte[] id = UuidConverter.toBytes(session.memberId());
            members.eraseIn(em, member);
            em.createNativeQuery("DELETE FROM app_account WHERE member_id = ?1").setParameter(1, id).executeUpdate();
            em.createNativeQuery("UPDATE nps_answer SET comment = NULL WHERE member_id = ?1").setParameter(1, id)
                    .executeUpdate();
            sessions.revokeAll(em, session.memberId(), null);
            auditLog.recordSelfService(em, MemberApp.actor(session), "member.delete", member.toString(),
                    "personal data erased, cards blocked, sessions revoked");
            return null;
        });
    }

    private void requirePassword(AppSession session, String password, String clientAddress) {
        if (password == null) {
            throw KizunaException.invalid("The password is required.");
        }
        Account account = transactions.inTransaction(em -> account(em, session.memberId()))
                .orElseThrow(() -> new KizunaException(ErrorCode.UNAUTHENTICATED, "This account no longer exists."));
        List<String> subjects = List.of(FailedAttempts.account(account.email()),
                FailedAttempts.address(clientAddress));
        attempts.requireBelowLimit(subjects);
        if (!passwords.matches(password, account.passwordHash())) {
            attempts.record(subjects);
            throw new KizunaException(ErrorCode.PASSWORD_MISMATCH, "The password is wrong.");
        }
    }

    private static Profile profile(AppProfile profile, String email) {
        return new Profile(profile.name(), profile.nameKana(), email, profile.phone(), profile.birthDate(),
                gender(profile.gender()), profile.postalCode(), profile.prefecture());
    }

    private static Profile.Gender gender(String gender) {
        if (gender == null) {
            return null;
        }
        try {
            return Profile.Gender.valueOf(gender.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw KizunaException.invalid("gender is FEMALE, MALE, OTHER or UNDISCLOSED.");
        }
    }

    private static Optional<Account> account(EntityManager em, String email) {
        return account(em, "email = ?1", email);
    }

    private static Optional<Account> account(EntityManager em, UUID memberId) {
        return account(em, "member_id = ?1", UuidConverter.toBytes(memberId));
    }

    private static Optional<Account> account(EntityManager em, String condition, Object value) {
        List<?> rows = em.createNativeQuery("SELECT member_id, email, password_hash FROM app_account WHERE "
                        + condition)
                .setParameter(1, value)
                .getResultList();
        return rows.stream().map(Object[].class::cast).findFirst()
                .map(row -> new Account(UuidConverter.fromBytes((byte[]) row[0]), (String) row[1], (String) row[2]));
    }
}
