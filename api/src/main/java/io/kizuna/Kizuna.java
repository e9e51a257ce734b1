package io.kizuna;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.helidon.config.Config;
import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import io.kizuna.analytics.Analytics;
import io.kizuna.analytics.AnalyticsConfig;
import io.kizuna.analytics.AnalyticsHttpService;
import io.kizuna.app.AppConfig;
import io.kizuna.app.AppHttpService;
import io.kizuna.app.MemberApp;
import io.kizuna.db.Database;
import io.kizuna.error.ErrorCode;
import io.kizuna.error.KizunaException;
import io.kizuna.feed.FeedConfig;
import io.kizuna.feed.FeedHttpService;
import io.kizuna.feed.FeedReader;
import io.kizuna.feed.Outbox;
import io.kizuna.feed.OutboxDispatcher;
import io.kizuna.feed.Projections;
import io.kizuna.ledger.Corrections;
import io.kizuna.ledger.Ledger;
import io.kizuna.ledger.LedgerAudit;
import io.kizuna.ledger.LedgerConfig;
import io.kizuna.ledger.LedgerHttpService;
import io.kizuna.ledger.PointsService;
import io.kizuna.member.CardConfig;
import io.kizuna.member.CardHttpService;
import io.kizuna.member.Cards;
import io.kizuna.member.MemberHttpService;
import io.kizuna.member.Members;
import io.kizuna.persistence.Entities;
import io.kizuna.persistence.Idempotency;
import io.kizuna.persistence.IdempotencyRetention;
import io.kizuna.persistence.JobLeases;
import io.kizuna.persistence.LeasedJob;
import io.kizuna.persistence.Transactions;
import io.kizuna.pos.PosHttpService;
import io.kizuna.pos.PosLogReader;
import io.kizuna.campaign.CampaignEarning;
import io.kizuna.campaign.CampaignHttpService;
import io.kizuna.campaign.CampaignOffers;
import io.kizuna.campaign.Campaigns;
import io.kizuna.campaign.UpliftConfig;
import io.kizuna.campaign.UpliftHttpService;
import io.kizuna.campaign.UpliftReport;
import io.kizuna.segment.SegmentHttpService;
import io.kizuna.segment.Segments;
import io.kizuna.staff.AuditLog;
import io.kizuna.staff.StaffAccess;
import io.kizuna.staff.StaffHttpService;
import io.kizuna.store.StoreHttpService;
import io.kizuna.store.Stores;
import io.kizuna.tier.TierConfig;
import io.kizuna.tier.TierHttpService;
import io.kizuna.tier.TierReview;
import io.kizuna.tier.Tiers;
import io.kizuna.till.EarningConfig;
import io.kizuna.till.Till;
import io.kizuna.web.Http;
import io.kizuna.web.JsonMapper;
import io.kizuna.web.OpenApiService;
import io.kizuna.web.Problems;
import io.kizuna.web.RequestIds;
import io.kizuna.webhook.WebhookConfig;
import io.kizuna.webhook.WebhookDelivery;
import io.kizuna.webhook.WebhookHttpService;
import io.kizuna.webhook.WebhookSubscriptions;
import jakarta.persistence.EntityManagerFactory;

/** One running Kizuna: the core's services over a database, and the web server that exposes them. */
public final class Kizuna implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Kizuna.class.getName());

    private final Database database;
    private final EntityManagerFactory entityManagerFactory;
    private final Core core;
    private final List<LeasedJob> jobs;
    private final WebServer server;

    private Kizuna(Database database, Config config, Clock clock) {
        this.database = database;
        this.entityManagerFactory = database.entityManagerFactory(Entities.all());
        this.core = new Core(config.get("kizuna"), database, entityManagerFactory, clock);
        JobLeases leases = new JobLeases(core.transactions, clock, nodeName());
        this.jobs = List.of(
                new LeasedJob("ledger-expiry", leases, core.ledgerConfig.expiryInterval(), core.points::runExpiry),
                new LeasedJob("idempotency-retention", leases, Duration.ofHours(1), core.idempotencyRetention::purge),
                new LeasedJob("outbox-dispatch", leases, core.feedConfig.dispatchInterval(), core.dispatcher::run),
                new LeasedJob("webhook-delivery", leases, core.webhookConfig.interval(), core.webhooks::deliverDue),
                new LeasedJob("tier-review", leases, core.tierConfig.reviewCheck(), core.tierReview::runIfDue),
                new LeasedJob("analytics-schedule", leases, core.analytics.config.recomputeInterval(),
                        () -> core.analytics.recomputes.startIfDue(core.analytics.config.recomputeInterval())),
                new LeasedJob("campaign-schedule", leases, config.get("kizuna.campaigns.schedule-interval")
                        .as(Duration.class).orElse(Duration.ofMinutes(1)), core.campaigns::runSchedule));
        core.staffAccess.bootstrapAdmin(config.get("kizuna.security.bootstrap-admin-key").asString()
                        .asOptional().filter(key -> !key.isBlank()))
                .ifPresent(Kizuna::showBootstrapKeyOnce);
        this.server = WebServer.builder()
                .config(config.get("server"))
                .addFeature(observe(database))
                .routing(routing -> routing(routing, core))
                .build();
    }

    /** Starts Kizuna on the given database. */
    public static Kizuna start(Config config, Database database, Clock clock) {
        Kizuna kizuna = new Kizuna(database, config, clock);
        kizuna.server.start();
        kizuna.jobs.forEach(LeasedJob::start);
        LOG.log(System.Logger.Level.INFO, "Kizuna is serving on http://localhost:{0,number,#} with {1}",
                kizuna.port(), database.describe());
        return kizuna;
    }

    /** Every route of the server, on one screen; tests reuse this exact wiring. */
    static void routing(HttpRouting.Builder routing, Core core) {
        core.problems.register(routing);
        routing.addFilter(new RequestIds())
                .register("/openapi", new OpenApiService())
                .register("/api/v1", core.staffHttp, core.memberHttp, core.cardHttp, core.ledgerHttp, core.storeHttp,
                        core.feedHttp, core.webhookHttp, core.tierHttp, core.analyticsHttp,
                        core.segmentHttp, core.campaignHttp, core.upliftHttp)
                .register("/pos/v1", core.posHttp)
                .register("/app/v1", core.appHttp)
                .any("/api/v1/*", Kizuna::noSuchRoute)
                .any("/pos/v1/*", Kizuna::noSuchRoute)
                .any("/app/v1/*", Kizuna::noSuchRoute);
    }

    private static void noSuchRoute(ServerRequest request, ServerResponse response) {
        throw new KizunaException(ErrorCode.NOT_FOUND,
                "There is no " + request.prologue().method().text() + " " + request.path().absolute().path() + ".");
    }

    private static ObserveFeature observe(Database database) {
        HealthCheck databaseCheck = new HealthCheck() {
            @Override
            public String name() {
                return "database";
            }

            @Override
            public HealthCheckType type() {
                return HealthCheckType.READINESS;
            }

            @Override
            public HealthCheckResponse call() {
                return HealthCheckResponse.builder().status(database.isReachable()).build();
            }
        };
        return ObserveFeature.builder()
                .addObserver(HealthObserver.builder().details(true).addCheck(databaseCheck).build())
                .addObserver(MetricsObserver.builder().build())
                .build();
    }

    public int port() {
        return server.port();
    }

    public Core core() {
        return core;
    }

    public Database database() {
        return database;
    }

    @Override
    public void close() {
        jobs.forEach(LeasedJob::close);
        server.stop();
        entityManagerFactory.close();
        database.close();
    }

    private static void showBootstrapKeyOnce(String key) {
        // Printed, not logged: it must not end up in log storage, and it is never shown again.
        System.out.println("""

                ==> No admin credential existed, so Kizuna created one. Keep this key; it is shown only now:
                    %s
                    Use it as 'Authorization: Bearer <key>' on /api/v1.
                """.formatted(key));
    }

    private static String nodeName() {
        return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("node") + "-" + ProcessHandle.current().pid();
    }

    /** The core's services, wired once from configuration. */
    public static final class Core {
        public final LedgerConfig ledgerConfig;
        public final Transactions transactions;
        public final Outbox outbox;
        public final PointsService points;
        public final Ledger ledger;
        public final LedgerAudit audit;
        public final Members members;
        public final Cards cards;
        public final StaffAccess staffAccess;
        public final Stores stores;
        public final Till till;
        public final IdempotencyRetention idempotencyRetention;
        public final MemberApp memberApp;
        public final FeedConfig feedConfig;
        public final OutboxDispatcher dispatcher;
        public final WebhookConfig webhookConfig;
        public final WebhookDelivery webhooks;
        public final TierConfig tierConfig;
        public final Tiers tiers;
        public final TierReview tierReview;
        public final Analytics analytics;
        public final Segments segments;
        public final Campaigns campaigns;
        final Problems problems;
        final StaffHttpService staffHttp;
        final MemberHttpService memberHttp;
        final CardHttpService cardHttp;
        final LedgerHttpService ledgerHttp;
        final StoreHttpService storeHttp;
        final PosHttpService posHttp;
        final AppHttpService appHttp;
        final FeedHttpService feedHttp;
        final WebhookHttpService webhookHttp;
        final TierHttpService tierHttp;
        final AnalyticsHttpService analyticsHttp;
        final SegmentHttpService segmentHttp;
        final CampaignHttpService campaignHttp;
        final UpliftHttpService upliftHttp;

        Core(Config kizuna, Database database, EntityManagerFactory entityManagerFactory, Clock clock) {
            var json = JsonMapper.create();
            Http http = new Http(json, kizuna.get("http.max-json-bytes").asInt().orElse(64 * 1024));
            ledgerConfig = LedgerConfig.from(kizuna.get("ledger"));
            transactions = new Transactions(entityManagerFactory);
            Idempotency idempotency = new Idempotency(json, clock);
            idempotencyRetention = new IdempotencyRetention(transactions,
                    kizuna.get("idempotency.retention").as(Duration.class).orElse(Duration.ofDays(30)), clock);
            outbox = new Outbox(json, clock);
            ledger = new Ledger(clock, ledgerConfig, outbox);
            points = new PointsService(transactions, idempotency, ledger, clock);
            audit = new LedgerAudit(database.dataSource(), clock);
            AuditLog auditLog = new AuditLog(clock, transactions);
            staffAccess = new StaffAccess(transactions, auditLog, clock);
            cards = new Cards(transactions, idempotency, ledger, auditLog, CardConfig.from(kizuna.get("cards")), clock);
            members = new Members(transactions, idempotency, ledger, cards, auditLog, outbox, clock);
            Corrections corrections = new Corrections(transactions, idempotency, ledger, auditLog);
            problems = new Problems(json);
            staffHttp = new StaffHttpService(staffAccess, auditLog, http);
            memberHttp = new MemberHttpService(members, points, corrections, staffAccess, http);
            cardHttp = new CardHttpService(cards, points, staffAccess, http);
            ledgerHttp = new LedgerHttpService(points, corrections, audit, staffAccess, http);
            stores = new Stores(transactions, auditLog,
                    kizuna.get("pos.terminal-key-cache").as(Duration.class).orElse(Duration.ofSeconds(30)), clock);
            tierConfig = TierConfig.from(kizuna.get("tiers"));
            tiers = new Tiers(transactions, outbox, auditLog, tierConfig, ledgerConfig.zone(), json, clock);
            tierReview = new TierReview(tiers);
            tierHttp = new TierHttpService(tiers, tierReview, staffAccess, http);
            till = new Till(transactions, idempotency, ledger, stores, EarningConfig.from(kizuna.get("earning")),
                    outbox, tiers, new CampaignEarning(ledger, json, ledgerConfig.zone(), clock), clock);
            storeHttp = new StoreHttpService(stores, staffAccess, http);
            // Receipts of up to 500 lines must fit: the till channel has a larger body limit of its own.
            int maxReceiptBytes = kizuna.get("pos.max-json-bytes").asInt().orElse(256 * 1024);
            PosLogReader posLogReader = new PosLogReader(
                    kizuna.get("pos.poslog.loyalty-elements").asList(String.class).orElse(List.of("LoyaltyID")),
                    kizuna.get("pos.currency").asString().orElse("JPY"));
            AppConfig appConfig = AppConfig.from(kizuna.get("app"));
            memberApp = new MemberApp(transactions, members, cards, points, tiers, auditLog,
                    new CampaignOffers(clock), appConfig, clock);
            appHttp = new AppHttpService(memberApp, http, appConfig.clientAddressHeader());
            feedConfig = FeedConfig.from(kizuna.get("feed"));
            dispatcher = new OutboxDispatcher(database.dataSource(),
                    new Projections(database.dataSource(), json, ledgerConfig.zone()));
            FeedReader feedReader = new FeedReader(database.dataSource(), json);
            feedHttp = new FeedHttpService(feedReader, staffAccess, json);
            webhookConfig = WebhookConfig.from(kizuna.get("feed"));
            webhooks = new WebhookDelivery(database.dataSource(), feedReader, json, webhookConfig, clock);
            webhookHttp = new WebhookHttpService(
                    new WebhookSubscriptions(database.dataSource(), transactions, auditLog, clock), staffAccess, http);
            analytics = new Analytics(database.dataSource(), json, clock, ledgerConfig.zone(),
                    AnalyticsConfig.from(kizuna.get("analytics")), new JobLeases(transactions, clock, nodeName()),
                    nodeName(), () -> tiers.ladder().lowest().code());
            analyticsHttp = new AnalyticsHttpService(analytics, staffAccess, http);
            segments = new Segments(database.dataSource(), transactions, auditLog, json, ledgerConfig.zone(), clock,
                    tiers::segmentTerms);
            segmentHttp = new SegmentHttpService(segments, staffAccess, http);
            campaigns = new Campaigns(database.dataSource(), transactions, ledger, segments, auditLog, json, clock);
            campaignHttp = new CampaignHttpService(campaigns, staffAccess, http);
            upliftHttp = new UpliftHttpService(new UpliftReport(database.dataSource(),
                    UpliftConfig.from(kizuna.get("campaigns")), ledgerConfig.zone(), clock), staffAccess, http);
            posHttp = new PosHttpService(till, posLogReader, new Http(json, maxReceiptBytes), memberApp.cardCodes());
        }
    }
}
