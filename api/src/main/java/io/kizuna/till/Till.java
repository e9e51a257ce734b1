package io.kizuna.till;

import java.time.Clock;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.kizuna.campaign.CampaignEarning;
import io.kizuna.campaign.Reward;
import io.kizuna.card.CardNumber;
import io.kizuna.error.ErrorCode;
import io.kizuna.error.KizunaException;
import io.kizuna.feed.Outbox;
import io.kizuna.ledger.Balance;
import io.kizuna.ledger.Commands.Capture;
import io.kizuna.ledger.Commands.Earn;
import io.kizuna.ledger.Commands.Hold;
import io.kizuna.ledger.Commands.Redeem;
import io.kizuna.ledger.Commands.Release;
import io.kizuna.ledger.Ledger;
import io.kizuna.ledger.Memo;
import io.kizuna.ledger.Points;
import io.kizuna.ledger.TransferId;
import io.kizuna.ledger.TransferReceipt;
import io.kizuna.member.CardHolder;
import io.kizuna.member.Cards;
import io.kizuna.persistence.Idempotency;
import io.kizuna.persistence.Ids;
import io.kizuna.persistence.Transactions;
import io.kizuna.pos.PosPort;
import io.kizuna.pos.PosProtocol.Line;
import io.kizuna.pos.PosProtocol.PointsOutcome;
import io.kizuna.pos.PosProtocol.RuleResult;
import io.kizuna.pos.PosProtocol.Sale;
import io.kizuna.pos.PosProtocol.SaleReply;
import io.kizuna.pos.PosProtocol.TenderType;
import io.kizuna.pos.PosProtocol;
import io.kizuna.pos.Terminal;
import io.kizuna.store.Product;
import io.kizuna.store.Stores;
import io.kizuna.tier.TierDefinition;
import io.kizuna.tier.Tiers;
import jakarta.persistence.EntityManager;

/**
 * The core's side of the store channel: the checkout. A sale is one database transaction that writes the receipt
 * and its lines, captures the points paid, earns through the rule pipeline, and answers with the new balance;
 * the till's receipt key makes it exactly once.
 */
public final class Till implements PosPort {
    private static final String KEY_SCOPE = "pos";
    private static final int EXPIRING_SOON_MONTHS = 3;

    private final Transactions transactions;
    private final Idempotency idempotency;
    private final Ledger ledger;
    private final Stores stores;
    private final EarningConfig config;
    private final List<EarningRule> rules;
    private final Returns returns;
    private final ReceiptEvents events;
    private final Tiers tiers;
    private final CampaignEarning campaigns;
    private final Clock clock;

    public Till(Transactions transactions, Idempotency idempotency, Ledger ledger, Stores stores,
                EarningConfig config, Outbox outbox, Tiers tiers, CampaignEarning campaigns, Clock clock) {
        this.transactions = transactions;
        this.idempotency = idempotency;
        this.ledger = ledger;
        this.stores = stores;
        this.config = config;
        this.rules = List.of(new EarningRule.BaseRate(config.yenPerPoint()));
        this.events = new ReceiptEvents(outbox);
        this.returns = new Returns(ledger, events, tiers, campaigns, clock);
        this.tiers = tiers;
        this.campaigns = campaigns;
        this.clock = clock;
    }

    @Override
    public Terminal authenticate(String terminalKey) {
        return stores.authenticate(terminalKey);
    }

    @Override
    public PosProtocol.Identification identify(Terminal terminal, CardNumber card) {
        return transactions.inTransaction(em -> {
            CardHolder holder = Cards.holder(em, card);
            PosProtocol.Customer customer = holder.memberId() == null ? null
                    : new PosProtocol.Customer(holder.maskedName(), holder.memberStatus().name(),
                            tiers.tierName(em, holder.memberId().value()).orElse(null));
            return new PosProtocol.Identification(card.value(), customer, pointsView(em, holder));
        });
    }

    @Override
    public SaleReply recordSale(Terminal terminal, Sale sale) {
        String key = KEY_SCOPE + ":sale:" + terminal.receiptKey(sale.businessDay(), sale.receiptNumber());
        return transactions.inTransaction(em -> idempotency.once(em, key, "sale", sale, SaleReply.class,
                SaleReply::asReplay, () -> checkout(em, terminal, sale)));
    }

    @Override
    public PosProtocol.ReturnReply recordReturn(Terminal terminal, PosProtocol.Return request) {
        String key = KEY_SCOPE + ":return:" + terminal.receiptKey(request.businessDay(), request.receiptNumber());
        Returns.Origin origin = new Returns.Origin(ReceiptEntity.Kind.RETURN, new ReceiptEntity.Origin(
                terminal.storeCode(), terminal.terminalCode(), request.businessDay(), request.receiptNumber()));
        return transactions.inTransaction(em -> idempotency.once(em, key, "return", request,
                PosProtocol.ReturnReply.class, PosProtocol.ReturnReply::asReplay,
                () -> returns.takeBack(em, terminal, request.original(), request.lines(), origin)));
    }

    @Override
    public PosProtocol.ReturnReply voidSale(Terminal terminal, PosProtocol.VoidSale request) {
        String key = KEY_SCOPE + ":void:" + terminal.receiptKey(request.businessDay(), request.receiptNumber());
        PosProtocol.ReceiptRef sale = new PosProtocol.ReceiptRef(terminal.terminalCode(), request.businessDay(),
                request.receiptNumber());
        Returns.Origin origin = new Returns.Origin(ReceiptEntity.Kind.VOID, new ReceiptEntity.Origin(
                terminal.storeCode(), terminal.terminalCode(), request.businessDay(), request.receiptNumber()));
        return transactions.inTransaction(em -> idempotency.once(em, key, "void", request,
                PosProtocol.ReturnReply.class, PosProtocol.ReturnReply::asReplay,
                () -> returns.takeBack(em, terminal, sale, null, origin)));
    }

    private SaleReply checkout(EntityManager em, Terminal terminal, Sale sale) {
        Optional<CardHolder> holder = Optional.ofNullable(sale.card()).map(card -> transactingHolder(em, card));
        UUID receiptId = Ids.next();
        List<ReceiptLineEntity> lines = receiptLines(em, receiptId, sale);
        long eligibleLines = lines.stream().filter(ReceiptLineEntity::eligible).mapToLong(ReceiptLineEntity::net).sum();
        long pointsPaid = pointsTender(sale);
        if (pointsPaid > 0 && holder.isEmpty()) {
            throw KizunaException.invalid("Paying with points needs the card whose points they are.");
        }
        if (pointsPaid > sale.total()) {
            throw KizunaException.invalid("Points pay for " + pointsPaid + " of a sale of " + sale.total() + ".");
        }
        long eligible = Math.max(0, eligibleLines - pointsPaid);
        // The member's tier rows are locked before anything else of theirs: the sale earns at the tier held now
        // and may move the member up once it is counted.
        Optional<Tiers.Locked> tier = holder.filter(h -> h.memberId() != null)
                .map(h -> tiers.lock(em, h.memberId().value()));
        List<RuleResult> results = holder.isPresent() ? earningRules(eligible, tier.map(Tiers.Locked::tier))
                : new ArrayList<>();
        long earnedByRules = results.stream().mapToLong(RuleResult::points).sum();
        UUID payment = holder.isPresent() && pointsPaid > 0
                ? capturePayment(em, terminal, sale, holder.get(), pointsPaid) : null;
        boolean pending = !config.returnWindow().isZero();
        UUID earning = holder.isPresent() && earnedByRules > 0
                ? earn(em, terminal, sale, holder.get(), earnedByRules, pending) : null;
        List<CampaignEarning.Award> awards = tier.isPresent()
                ? campaignAwards(em, terminal, sale, holder.get(), eligible, results, lines, pending) : List.of();
        awards.forEach(award -> results.add(new RuleResult(award.ruleId(), award.points())));
        long earned = results.stream().mapToLong(RuleResult::points).sum();
        ReceiptEntity.Customer customer = holder.map(h -> new ReceiptEntity.Customer(h.card().value(),
                h.memberId() == null ? null : h.memberId().value(), h.wallet().value()))
                .orElse(ReceiptEntity.Customer.ANONYMOUS);
        ReceiptEntity receipt = new ReceiptEntity(receiptId, ReceiptEntity.Kind.SALE,
                new ReceiptEntity.Origin(terminal.storeCode(), terminal.terminalCode(), sale.businessDay(),
                        sale.receiptNumber()),
                customer, new ReceiptEntity.Amounts(sale.currency(), sale.total(), eligible, earned, pointsPaid),
                clock.instant()).withTransfers(earning, payment);
        em.persist(receipt);
        lines.forEach(em::persist);
        Map<String, UUID> carriers = new java.util.HashMap<>();
        awards.forEach(award -> carriers.put(award.ruleId(), award.transferId()));
        results.forEach(result -> em.persist(new ReceiptRuleEntity(receiptId, result.ruleId(), result.points(),
                carriers.get(result.ruleId()))));
        events.sale(em, receipt, lines, results);
        long tierPoints = results.stream().filter(result -> result.ruleId().startsWith(EarningRule.TIER_PREFIX))
                .mapToLong(RuleResult::points).sum();
        String tierAfter = tier.map(locked -> tiers.sold(em, locked, new Tiers.Activity(eligible, earned, tierPoints,
                1), terminal.receiptKey(sale.businessDay(), sale.receiptNumber())).name()).orElse(null);
        return new SaleReply(receiptId.toString(), PosProtocol.Processing.ONLINE, false,
                new PointsOutcome(earned, pending && earned > 0, results, pointsPaid),
                holder.map(h -> pointsView(em, h)).orElse(null), tierAfter);
    }

    /** The sale's lines as recorded: each with its category (the till's, else the catalogue's) and eligibility. */
    private List<ReceiptLineEntity> receiptLines(EntityManager em, UUID receiptId, Sale sale) {
        Map<String, Product> catalogue = Stores.products(em, sale.lines().stream().map(Line::sku).toList());
        List<ReceiptLineEntity> lines = new ArrayList<>();
        for (Line line : sale.lines()) {
            Product product = catalogue.get(line.sku());
            String category = line.category() != null ? line.category() : product == null ? null : product.category();
            boolean eligible = (category == null || !config.excludedCategories().contains(category))
                    && (product == null || !product.excludedFromEarning());
            lines.add(new ReceiptLineEntity(receiptId, line, category, eligible));
        }
        return lines;
    }

    /**
     * Runs the rule pipeline in order; each rule sees what the rules before it gave. A tier that multiplies adds
     * its rule after the program's own.
     */
    private List<RuleResult> earningRules(long eligibleSpend, Optional<TierDefinition> tier) {
        List<EarningRule> pipeline = new ArrayList<>(rules);
        tier.filter(TierDefinition::multiplies).ifPresent(held -> pipeline.add(new EarningRule.TierMultiplier(held)));
        List<RuleResult> results = new ArrayList<>();
        long earned = 0;
        for (EarningRule rule : pipeline) {
            RuleResult result = rule.apply(new EarningRule.Purchase(eligibleSpend), earned);
            results.add(result);
            earned += result.points();
        }
        return results;
    }

    /** The campaign rules, after the program's and the tier's: each award a transfer from its campaign's budget. */
    private List<CampaignEarning.Award> campaignAwards(EntityManager em, Terminal terminal, Sale sale,
                                                       CardHolder holder, long eligible, List<RuleResult> results,
                                                       List<ReceiptLineEntity> lines, boolean pending) {
        long basePoints = results.stream().filter(result -> result.ruleId().equals(EarningRule.BASE))
                .mapToLong(RuleResult::points).sum();
        List<Reward.Item> items = lines.stream().filter(ReceiptLineEntity::eligible)
                .map(line -> new Reward.Item(line.sku(), line.category(), line.quantity(), line.net())).toList();
        CampaignEarning.Basket basket = new CampaignEarning.Basket(holder.memberId().value(), holder.wallet(),
                eligible, basePoints, config.yenPerPoint(), items,
                "receipt:" + terminal.receiptKey(sale.businessDay(), sale.receiptNumber()));
        return campaigns.award(em, basket, pending ? config.returnWindow() : null);
    }

    private UUID earn(EntityManager em, Terminal terminal, Sale sale, CardHolder holder, long points,
                      boolean pending) {
        Memo memo = Memo.reference("receipt:" + terminal.receiptKey(sale.businessDay(), sale.receiptNumber()));
        Earn earn = pending
                ? Earn.pending(holder.wallet(), Points.of(points), memo, config.returnWindow())
                : Earn.posted(holder.wallet(), Points.of(points), memo);
        return ledger.earn(em, earn).transferId().value();
    }

    /**
     * Takes the points a sale pays with through its hold. A hold that timed out before its sale arrived (the
     * store's edge kept the sale while the centre was away, or the till waited too long) reserves nothing any more,
     * but the sale stands: it redeems the points from what the wallet has, or is refused if they are gone.
     */
    private UUID capturePayment(EntityManager em, Terminal terminal, Sale sale, CardHolder holder, long points) {
        String holdId = sale.tenders().stream().filter(tender -> tender.type() == TenderType.POINTS)
                .findFirst().orElseThrow().holdId();
        TransferId id = holdIdOf(holdId);
        Optional<Ledger.OpenHold> open = ledger.openHold(em, id)
                .filter(hold -> ofStore(hold, terminal))
                .filter(hold -> clock.instant().isBefore(hold.timeoutAt()));
        Ledger.OpenHold hold = open.or(() -> ledger.timedOutHold(em, id).filter(late -> ofStore(late, terminal)))
                .orElseThrow(() -> new KizunaException(ErrorCode.HOLD_NOT_FOUND,
                        "No hold of this store has the id " + holdId + "."));
        if (!hold.wallet().equals(holder.wallet())) {
            throw KizunaException.invalid("Hold " + holdId + " reserves points of another card.");
        }
        if (points > hold.points()) {
            throw new KizunaException(ErrorCode.INSUFFICIENT_POINTS,
                    "Hold " + holdId + " reserves " + hold.points() + " points, not " + points + ".");
        }
        TransferReceipt paid = open.isPresent()
                ? ledger.capture(em, new Capture(hold.id(), Points.of(points)))
                : ledger.redeem(em, new Redeem(holder.wallet(), Points.of(points),
                        Memo.reference("receipt:" + terminal.receiptKey(sale.businessDay(), sale.receiptNumber()))));
        return paid.transferId().value();
    }

    @Override
    public PosProtocol.HoldReply holdPoints(Terminal terminal, PosProtocol.PointsHold request) {
        CardNumber card = CardNumber.parse(request.card());
        return transactions.inTransaction(em -> {
            CardHolder holder = transactingHolder(em, card.value());
            TransferReceipt hold = ledger.hold(em, new Hold(holder.wallet(), Points.of(request.points()),
                    Memo.reference(holdReference(terminal)), config.holdTimeout()));
            return new PosProtocol.HoldReply(hold.transferId().toString(), request.points(), "HELD",
                    pointsView(em, holder));
        });
    }

    @Override
    public PosProtocol.HoldReply releaseHold(Terminal terminal, String holdId) {
        return transactions.inTransaction(em -> {
            Ledger.OpenHold hold = openHoldOf(em, terminal, holdId);
            TransferReceipt released = ledger.release(em, new Release(hold.id()));
            Balance balance = ledger.balance(em, released.wallet());
            return new PosProtocol.HoldReply(holdId, hold.points(), "RELEASED", pointsView(balance, ledger, clock));
        });
    }

    /** An open hold made by a terminal of this store; anything else is not this terminal's to touch. */
    private Ledger.OpenHold openHoldOf(EntityManager em, Terminal terminal, String holdId) {
        return ledger.openHold(em, holdIdOf(holdId))
                .filter(hold -> ofStore(hold, terminal))
                .orElseThrow(() -> new KizunaException(ErrorCode.HOLD_NOT_FOUND,
                        "No open hold of this store has the id " + holdId + "."));
    }

    private static TransferId holdIdOf(String holdId) {
        try {
            return new TransferId(UUID.fromString(holdId));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new KizunaException(ErrorCode.HOLD_NOT_FOUND, "No open hold has the id " + holdId + ".");
        }
    }

    private static boolean ofStore(Ledger.OpenHold hold, Terminal terminal) {
        return hold.reference() != null && hold.reference().startsWith("hold:" + terminal.storeCode() + "/");
    }

    private static String holdReference(Terminal terminal) {
        return "hold:" + terminal.storeCode() + "/" + terminal.terminalCode();
    }

    private static CardHolder transactingHolder(EntityManager em, String card) {
        CardHolder holder = Cards.holder(em, CardNumber.parse(card));
        if (!holder.canTransact()) {
            throw new KizunaException(ErrorCode.MEMBER_NOT_ACTIVE, "The card's member is not active.");
        }
        return holder;
    }

    private static long pointsTender(Sale sale) {
        return sale.tenders().stream().filter(tender -> tender.type() == TenderType.POINTS)
                .mapToLong(PosProtocol.Tender::amount).sum();
    }

    private PosProtocol.PointsView pointsView(EntityManager em, CardHolder holder) {
        return pointsView(ledger.balance(em, holder.wallet()), ledger, clock);
    }

    /** A balance as a till shows it: what is available, pending, and what expires in the next few months. */
    static PosProtocol.PointsView pointsView(Balance balance, Ledger ledger, Clock clock) {
        YearMonth horizon = YearMonth.from(clock.instant().atZone(ledger.zone())).plusMonths(EXPIRING_SOON_MONTHS);
        return new PosProtocol.PointsView(balance.available(), balance.pending(), balance.expiring().stream()
                .filter(entry -> !entry.month().isAfter(horizon))
                .map(entry -> new PosProtocol.Expiring(entry.month(), entry.points()))
                .toList());
    }
}
