package io.kizuna.app;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import io.kizuna.app.AppProtocol.AppConsents;
import io.kizuna.app.AppProtocol.AppSession;
import io.kizuna.app.AppProtocol.Balance;
import io.kizuna.app.AppProtocol.CardCode;
import io.kizuna.app.AppProtocol.Deletion;
import io.kizuna.app.AppProtocol.Export;
import io.kizuna.app.AppProtocol.History;
import io.kizuna.app.AppProtocol.Me;
import io.kizuna.app.AppProtocol.NpsAnswer;
import io.kizuna.app.AppProtocol.NpsReceipt;
import io.kizuna.app.AppProtocol.Offers;
import io.kizuna.app.AppProtocol.PasswordChange;
import io.kizuna.app.AppProtocol.Refresh;
import io.kizuna.app.AppProtocol.SignIn;
import io.kizuna.app.AppProtocol.SignUp;
import io.kizuna.app.AppProtocol.Tier;
import io.kizuna.app.AppProtocol.TierLevel;
import io.kizuna.app.AppProtocol.TierProgress;
import io.kizuna.app.AppProtocol.Tokens;
import io.kizuna.campaign.CampaignOffers;
import io.kizuna.card.CardNumber;
import io.kizuna.error.ErrorCode;
import io.kizuna.error.KizunaException;
import io.kizuna.ledger.PointsService;
import io.kizuna.member.Cards;
import io.kizuna.member.Consents;
import io.kizuna.member.MemberId;
import io.kizuna.member.Members;
import io.kizuna.persistence.Transactions;
import io.kizuna.pos.CardCodeResolver;
import io.kizuna.staff.AuditLog;
import io.kizuna.tier.TierDefinition;
import io.kizuna.tier.TierStanding;
import io.kizuna.tier.Tiers;

/** The core's side of the member app: {@link MemberAppPort} over members, cards and the ledger. */
public final class MemberApp implements MemberAppPort {
    private static final System.Logger LOG = System.getLogger(MemberApp.class.getName());

    private final Transactions transactions;
    private final Members members;
    private final Cards cards;
    private final AuditLog auditLog;
    private final Sessions sessions;
    private final CardCodes cardCodes;
    private final Accounts accounts;
    private final Statements statements;
    private final Tiers tiers;
    private final CampaignOffers offers;

    public MemberApp(Transactions transactions, Members members, Cards cards, PointsService points, Tiers tiers,
                     AuditLog auditLog, CampaignOffers offers, AppConfig config, Clock clock) {
        this.tiers = tiers;
        this.offers = offers;
        this.transactions = transactions;
        this.members = members;
        this.cards = cards;
        this.auditLog = auditLog;
        this.sessions = new Sessions(new AccessTokens(config.tokenSecret(), clock), config, clock);
        this.cardCodes = new CardCodes(config.tokenSecret(), config.cardCodeStep(), clock);
        FailedAttempts attempts = new FailedAttempts(transactions, clock, config.maxFailedAttempts(),
                config.failedAttemptWindow());
        this.accounts = new Accounts(transactions, members, cards, auditLog, sessions,
                new Passwords(config.passwordCost()), attempts, clock);
        this.statements = new Statements(transactions, members, points, clock);
        if (config.secretWasGenerated()) {
            LOG.log(System.Logger.Level.WARNING, "kizuna.app.token-secret is not set: a random one was made, so app"
                    + " sign-ins and card codes will not survive a restart and work on this node only.");
        }
    }

    /** How /pos/v1 identify checks the app's rotating codes. */
    public CardCodeResolver cardCodes() {
        return cardCodes;
    }

    @Override
    public Tokens signUp(SignUp signUp, String clientAddress) {
        return accounts.signUp(signUp, clientAddress);
    }

    @Override
    public Tokens signIn(SignIn signIn, String clientAddress) {
        return accounts.signIn(signIn, clientAddress);
    }

    @Override
    public Tokens refresh(Refresh refresh) {
        return transactions.inTransaction(em -> sessions.refresh(em, refresh.refreshToken()));
    }

    @Override
    public AppSession authenticate(String accessToken) {
        return transactions.inTransaction(em -> sessions.authenticate(em, accessToken));
    }

    @Override
    public void signOut(AppSession session) {
        transactions.inTransaction(em -> {
            sessions.revoke(em, session);
            return null;
        });
    }

    @Override
    public void changePassword(AppSession session, PasswordChange change, String clientAddress) {
        accounts.changePassword(session, change, clientAddress);
    }

    @Override
    public Me me(AppSession session) {
        return transactions.inTransaction(em -> statements.me(em, session));
    }

    @Override
    public AppConsents consents(AppSession session) {
        return me(session).consents();
    }

    @Override
    public AppConsents changeConsents(AppSession session, AppConsents change) {
        if (change.marketingMessages() == null && change.analyticsUse() == null) {
            throw KizunaException.invalid("Send marketingMessages and/or analyticsUse as true or false.");
        }
        return transactions.inTransaction(em -> {
            MemberId member = new MemberId(session.memberId());
            Consents now = members.viewIn(em, member).consents();
            Consents next = new Consents(
                    Optional.ofNullable(change.marketingMessages()).orElse(now.marketingMessages()),
                    Optional.ofNullable(change.analyticsUse()).orElse(now.analyticsUse()));
            Consents changed = members.changeConsentsIn(em, member, next).consents();
            auditLog.recordSelfService(em, actor(session), "member.consents", member.toString(),
                    "marketing=" + changed.marketingMessages() + " analytics=" + changed.analyticsUse());
            return new AppConsents(changed.marketingMessages(), changed.analyticsUse());
        });
    }

    @Override
    public CardNumber card(AppSession session) {
        return transactions.inTransaction(em -> cards.newestActiveOf(em, new MemberId(session.memberId())))
                .orElseThrow(() -> new KizunaException(ErrorCode.CARD_NOT_FOUND, "You have no active card."));
    }

    @Override
    public CardCode cardCode(AppSession session) {
        CardNumber card = card(session);
        CardCodes.Issued issued = cardCodes.issue(card);
        return new CardCode(issued.code().value(), card.value(), issued.expiresAt());
    }

    @Override
    public Balance balance(AppSession session) {
        return statements.balance(session);
    }

    @Override
    public History history(AppSession session, String cursor, int limit) {
        return statements.history(session, cursor, limit);
    }

    /** The member's tier, how much more reaches the next one, and how much by when keeps this one. */
    @Override
    public Tier tier(AppSession session) {
        TierStanding standing = tiers.standing(session.memberId());
        String metric = standing.metric();
        TierProgress progress = standing.next() == null ? null
                : new TierProgress(metric, standing.neededForNext(), null);
        TierProgress keep = standing.keepBy() == null ? null
                : new TierProgress(metric, standing.neededToKeep(), standing.keepBy());
        return new Tier(level(standing.tier()), standing.next() == null ? null : level(standing.next()), progress,
                keep, note(standing));
    }

    private static TierLevel level(TierDefinition tier) {
        List<String> benefits = new java.util.ArrayList<>();
        if (tier.multiplies()) {
            benefits.add("Points x" + tier.multiplier().stripTrailingZeros().toPlainString() + " (" + tier.ruleId()
                    + ")");
        }
        benefits.addAll(tier.benefits());
        return new TierLevel(tier.name(), benefits);
    }

    private static String note(TierStanding standing) {
        if (standing.atRisk()) {
            return "At risk: without " + standing.neededToKeep() + " more (" + standing.metric().toLowerCase(Locale.ROOT)
                    + ") by " + standing.keepBy() + ", a review from " + standing.downgradeNotBefore()
                    + " moves you down one tier.";
        }
        return standing.next() == null ? "You are in the top tier." : standing.neededForNext() + " more ("
                + standing.metric().toLowerCase(Locale.ROOT) + ") reaches " + standing.next().name() + ".";
    }

    /** Until campaigns exist, nobody is eligible for any. */
    @Override
    public Offers offers(AppSession session) {
        return transactions.inTransaction(em -> new Offers(offers.offers(em, session.memberId())));
    }

    @Override
    public AppProtocol.Offer enterOffer(AppSession session, String offerId) {
        UUID campaign;
        try {
            campaign = UUID.fromString(offerId);
        } catch (IllegalArgumentException e) {
            throw new KizunaException(ErrorCode.NOT_FOUND, "There is no offer " + offerId + " for this member.");
        }
        return transactions.inTransaction(em -> {
            AppProtocol.Offer offer = offers.enter(em, session.memberId(), campaign);
            auditLog.recordSelfService(em, actor(session), "campaign.enter", offerId, null);
            return offer;
        });
    }

    @Override
    public NpsReceipt answerNps(AppSession session, NpsAnswer answer) {
        return statements.answerNps(session, answer);
    }

    @Override
    public Export export(AppSession session) {
        return transactions.inTransaction(em -> statements.export(em, session, sessions.of(em, session.memberId())));
    }

    @Override
    public void delete(AppSession session, Deletion deletion, String clientAddress) {
        accounts.delete(session, deletion, clientAddress);
    }

    static String actor(AppSession session) {
        return "member:" + session.memberId();
    }

    static String normalizeEmail(String email) {
        return email == null ? null : email.strip().toLowerCase(Locale.ROOT);
    }
}
