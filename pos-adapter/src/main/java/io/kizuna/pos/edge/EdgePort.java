package io.kizuna.pos.edge;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kizuna.card.CardNumber;
import io.kizuna.card.RotatingCardCode;
import io.kizuna.error.ErrorCode;
import io.kizuna.error.KizunaException;
import io.kizuna.pos.PosPort;
import io.kizuna.pos.PosProtocol;
import io.kizuna.pos.Terminal;

/**
 * The store edge's side of {@link PosPort}: the central server, reached over the network. Sales, returns and voids
 * are journalled durably before anything else and then forwarded; when the centre cannot be reached the till still
 * gets an answer ("accepted offline", with provisional points) and the journal sends the request on later, in
 * order. The centre's idempotency on the till's receipt key makes every request land exactly once, however often
 * it is sent. Lookups and points holds need the centre and fail clearly without it.
 */
public final class EdgePort implements PosPort {
    private static final System.Logger LOG = System.getLogger(EdgePort.class.getName());

    private final Journal journal;
    private final CentralClient central;
    private final Resilience resilience;
    private final KnownTerminals terminals;
    private final ObjectMapper json;
    private final Clock clock;
    private final long yenPerPoint;
    private final Map<Terminal, String> keys = new ConcurrentHashMap<>();
    private final java.util.Set<Long> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();

    EdgePort(Journal journal, CentralClient central, Resilience resilience, KnownTerminals terminals,
             ObjectMapper json, Clock clock, long yenPerPoint) {
        this.journal = journal;
        this.central = central;
        this.resilience = resilience;
        this.terminals = terminals;
        this.json = json;
        this.clock = clock;
        this.yenPerPoint = yenPerPoint;
    }

    /** What the journal keeps of a request: enough to send it again, as the same till. */
    record Forwarded(Kind kind, Terminal terminal, String key, JsonNode body) {
    }

    enum Kind {
        SALE("pos/v1/sales"), RETURN("pos/v1/returns"), VOID("pos/v1/voids");

        private final String path;

        Kind(String path) {
            this.path = path;
        }
    }

    /** How the edge is doing, for the status endpoint. */
    public record Status(int queueDepth, Long oldestUnsentAgeSeconds, String breakerState, long forwarded,
                         long rejected) {
    }

    @Override
    public Terminal authenticate(String terminalKey) {
        Terminal terminal = terminals.recall(terminalKey).orElseGet(() -> confirm(terminalKey));
        keys.put(terminal, terminalKey);
        return terminal;
    }

    private Terminal confirm(String terminalKey) {
        try {
            Terminal terminal = resilience.call(() -> central.get("pos/v1/terminal", terminalKey, Terminal.class));
            terminals.remember(terminalKey, terminal);
            return terminal;
        } catch (CentralUnavailableException e) {
            throw new KizunaException(ErrorCode.CENTRAL_UNAVAILABLE,
                    "This terminal key has not been confirmed by the central server yet, and it cannot be reached.");
        }
    }

    @Override
    public PosProtocol.Identification identify(Terminal terminal, CardNumber card) {
        return online(() -> central.post("pos/v1/identify", keyOf(terminal), new PosProtocol.Scan(card.value()),
                PosProtocol.Identification.class));
    }

    /** The centre alone holds the key of the app's rotating card codes: it answers which card a code stands for. */
    public CardNumber resolveCardCode(Terminal terminal, RotatingCardCode code) {
        return CardNumber.parse(online(() -> central.post("pos/v1/identify", keyOf(terminal),
                new PosProtocol.Scan(code.value()), PosProtocol.Identification.class)).card());
    }

    @Override
    public PosProtocol.HoldReply holdPoints(Terminal terminal, PosProtocol.PointsHold hold) {
        return online(() -> central.post("pos/v1/holds", keyOf(terminal), hold, PosProtocol.HoldReply.class));
    }

    @Override
    public PosProtocol.HoldReply releaseHold(Terminal terminal, String holdId) {
        return online(() -> central.post("pos/v1/holds/" + holdId + "/release", keyOf(terminal), Map.of(),
                PosProtocol.HoldReply.class));
    }

    @Override
    public PosProtocol.SaleReply recordSale(Terminal terminal, PosProtocol.Sale sale) {
        return forward(Kind.SALE, terminal, sale, PosProtocol.SaleReply.class, () -> offlineSale(sale));
    }

    @Override
    public PosProtocol.ReturnReply recordReturn(Terminal terminal, PosProtocol.Return request) {
        return forward(Kind.RETURN, terminal, request, PosProtocol.ReturnReply.class, EdgePort::offlineReturn);
    }

    @Override
    public PosProtocol.ReturnReply voidSale(Terminal terminal, PosProtocol.VoidSale request) {
        return forward(Kind.VOID, terminal, request, PosProtocol.ReturnReply.class, EdgePort::offlineReturn);
    }

    /**
     * Journals the request, then forwards it at once unless older requests are still waiting (they go first).
     * The centre's answer is the till's; without the centre, the till gets the offline answer.
     */
    private <T> T forward(Kind kind, Terminal terminal, Object body, Class<T> answer, Supplier<T> offline) {
        String key = keyOf(terminal);
        String payload = write(new Forwarded(kind, terminal, key, json.valueToTree(body)));
        Journal.Entry entry;
        synchronized (journal) {
            // Claimed as it is appended: the replay loop never sees this request unclaimed and sends it twice.
            entry = journal.append(payload, clock.instant());
            inFlight.add(entry.sequence());
        }
        try {
            if (journal.oldestPendingSequence().orElse(entry.sequence()) < entry.sequence()) {
                return offline.get();
            }
            T reply = resilience.call(() -> central.post(kind.path, key, body, answer));
            journal.done(entry.sequence());
            forwarded.incrementAndGet();
            return reply;
        } catch (KizunaException refused) {
            journal.done(entry.sequence());
            rejected.incrementAndGet();
            throw refused;
        } catch (CentralUnavailableException unreachable) {
            return offline.get();
        } finally {
            inFlight.remove(entry.sequence());
        }
    }

    /**
     * Sends on what waits in the journal, oldest first, and stops at the first request the centre cannot take
     * yet. A request the centre refuses is answered for good: it is logged (by its code) and not sent again.
     * Returns how many requests left the journal.
     */
    public int replay() {
        int sent = 0;
        for (Journal.Entry entry : journal.pending()) {
            if (inFlight.contains(entry.sequence())) {
                break; // a till's request is on its way right now; what comes after it must wait for it
            }
            if (!journal.isPending(entry.sequence())) {
                continue; // its till's own call delivered it meanwhile
            }
            Forwarded request = read(entry.payload());
            try {
                resilience.call(() -> central.post(request.kind().path, request.key(), request.body(),
                        JsonNode.class));
                forwarded.incrementAndGet();
            } catch (KizunaException refused) {
                rejected.incrementAndGet();
                LOG.log(System.Logger.Level.WARNING, "The central server refused journalled request "
                        + entry.sequence() + " of terminal " + request.terminal() + ": " + refused.code().code());
            } catch (CentralUnavailableException unreachable) {
                break;
            }
            journal.done(entry.sequence());
            sent++;
        }
        return sent;
    }

    public Status status() {
        Long age = journal.oldestPending()
                .map(oldest -> java.time.Duration.between(oldest, clock.instant()).toSeconds())
                .orElse(null);
        return new Status(journal.depth(), age, resilience.breakerState(), forwarded.get(), rejected.get());
    }

    private <T> T online(Supplier<T> call) {
        try {
            return resilience.call(call);
        } catch (CentralUnavailableException e) {
            throw new KizunaException(ErrorCode.CENTRAL_UNAVAILABLE,
                    "This needs the central server, which cannot be reached from the store right now.");
        }
    }

    /** The answer without the centre: accepted, with the base rate's points as a provisional estimate. */
    private PosProtocol.SaleReply offlineSale(PosProtocol.Sale sale) {
        long paid = sale.tenders().stream().filter(tender -> tender.type() == PosProtocol.TenderType.POINTS)
                .mapToLong(PosProtocol.Tender::amount).sum();
        long estimate = sale.card() == null ? 0 : Math.max(0, sale.total() - paid) / yenPerPoint;
        return new PosProtocol.SaleReply(null, PosProtocol.Processing.OFFLINE, false,
                new PosProtocol.PointsOutcome(estimate, true, List.of(new PosProtocol.RuleResult("base", estimate)),
                        paid),
                null, null);
    }

    private static PosProtocol.ReturnReply offlineReturn() {
        return new PosProtocol.ReturnReply(null, PosProtocol.Processing.OFFLINE, false, 0, 0, 0, null);
    }

    private String keyOf(Terminal terminal) {
        String key = keys.get(terminal);
        if (key == null) {
            throw new KizunaException(ErrorCode.UNAUTHENTICATED, "The terminal has not authenticated.");
        }
        return key;
    }

    private String write(Forwarded request) {
        try {
            return json.writeValueAsString(request);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot journal a request", e);
        }
    }

    private Forwarded read(String payload) {
        try {
            return json.readValue(payload, Forwarded.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A journal entry cannot be read back", e);
        }
    }
}
