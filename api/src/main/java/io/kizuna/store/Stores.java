package io.kizuna.store;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.kizuna.error.ErrorCode;
import io.kizuna.error.KizunaException;
import io.kizuna.persistence.Ids;
import io.kizuna.persistence.Transactions;
import io.kizuna.pos.Terminal;
import io.kizuna.security.ApiKeys;
import io.kizuna.staff.AuditLog;
import io.kizuna.staff.StaffAccess.Caller;
import jakarta.persistence.EntityManager;

/** Stores, their terminals (with keys bound to the store) and the product catalogue. */
public final class Stores {
    private static final String TERMINAL_KEY_PREFIX = "kzt_";
    private static final String CODE = "[A-Za-z0-9_-]{1,32}";

    private static final int MAX_CACHED_KEYS = 10_000;

    private final Transactions transactions;
    private final AuditLog auditLog;
    private final Clock clock;
    private final long keyCacheNanos;
    /**
     * Terminal keys found valid lately, by their hash: a busy till sends its key with every request. A revocation
     * is seen at once on the node that made it and within the cache's time to live on the others.
     */
    private final Map<String, KnownKey> knownKeys = new ConcurrentHashMap<>();

    private record KnownKey(UUID terminalId, Terminal terminal, long checkedAt) {
    }

    public Stores(Transactions transactions, AuditLog auditLog, Duration keyCacheTtl, Clock clock) {
        this.transactions = transactions;
        this.auditLog = auditLog;
        this.keyCacheNanos = keyCacheTtl.toNanos();
        this.clock = clock;
    }

    /** A new terminal and its key, which is in this answer only. */
    public record IssuedTerminal(TerminalView terminal, String key) {
    }

    public StoreView createStore(Caller caller, String code, String name) {
        requireCode("store code", code);
        if (name == null || name.isBlank() || name.length() > 200) {
            throw KizunaException.invalid("A store name is 1 to 200 characters.");
        }
        return transactions.inTransaction(em -> {
            if (em.find(StoreEntity.class, code) != null) {
                throw new KizunaException(ErrorCode.ALREADY_EXISTS, "Store " + code + " already exists.");
            }
            StoreEntity store = new StoreEntity(code, name, clock.instant());
            em.persist(store);
            auditLog.record(em, caller.action("store.create", code, null));
            return store.view();
        });
    }

    public List<StoreView> stores() {
        return transactions.inTransaction(em -> em.createQuery("SELECT s FROM StoreEntity s ORDER BY s.code",
                StoreEntity.class).getResultStream().map(StoreEntity::view).toList());
    }

    public IssuedTerminal addTerminal(Caller caller, String storeCode, String terminalCode) {
        requireCode("terminal code", terminalCode);
        String key = ApiKeys.newKey(TERMINAL_KEY_PREFIX);
        TerminalView view = transactions.inTransaction(em -> {
            requireStore(em, storeCode);
            boolean taken = !em.createQuery("SELECT t FROM TerminalEntity t WHERE t.storeCode = :store"
                            + " AND t.code = :code AND t.revokedAt IS NULL", TerminalEntity.class)
                    .setParameter("store", storeCode)
                    .setParameter("code", terminalCode)
                    .getResultList().isEmpty();
            if (taken) {
                throw new KizunaException(ErrorCode.ALREADY_EXISTS,
                        "Store " + storeCode + " already has an active terminal " + terminalCode + ".");
            }
            TerminalEntity terminal = new TerminalEntity(Ids.next(), storeCode, terminalCode, ApiKeys.hash(key),
                    clock.instant());
            em.persist(terminal);
            auditLog.record(em, caller.action("terminal.add", storeCode + "/" + terminalCode, null));
            return terminal.view();
        });
        return new IssuedTerminal(view, key);
    }

    public List<TerminalView> terminals(String storeCode) {
        return transactions.inTransaction(em -> {
            requireStore(em, storeCode);
            return em.createQuery("SELECT t FROM TerminalEntity t WHERE t.storeCode = :store ORDER BY t.code",
                            TerminalEntity.class)
                    .setParameter("store", storeCode)
                    .getResultStream().map(TerminalEntity::view).toList();
        });
    }

    public TerminalView revokeTerminal(Caller caller, UUID terminalId) {
        TerminalView revoked = transactions.inTransaction(em -> {
            TerminalEntity terminal = em.find(TerminalEntity.class, terminalId);
            if (terminal == null) {
                throw new KizunaException(ErrorCode.NOT_FOUND, "No terminal has the id " + terminalId + ".");
            }
            if (!terminal.isRevoked()) {
                terminal.revoke(clock.instant());
                auditLog.record(em, caller.action("terminal.revoke", terminal.storeCode() + "/" + terminal.code(),
                        null));
            }
            return terminal.view();
        });
        // After the commit, so that no request can find the key still valid and cache it again.
        knownKeys.values().removeIf(known -> known.terminalId().equals(terminalId));
        return revoked;
    }

    /** The terminal a key belongs to; unknown and revoked keys are refused alike. */
    public Terminal authenticate(String key) {
        byte[] hash = ApiKeys.hash(key);
        String cacheKey = HexFormat.of().formatHex(hash);
        KnownKey known = knownKeys.get(cacheKey);
        if (known != null && System.nanoTime() - known.checkedAt() < keyCacheNanos) {
            return known.terminal();
        }
        KnownKey found = transactions.inTransaction(em -> em.createQuery(
                        "SELECT t FROM TerminalEntity t WHERE t.keyHash = :hash", TerminalEntity.class)
                .setParameter("hash", hash)
                .getResultStream()
                .filter(terminal -> !terminal.isRevoked())
                .findFirst()
                .map(terminal -> new KnownKey(terminal.id(), new Terminal(terminal.storeCode(), terminal.code()),
                        System.nanoTime())))
                .orElseThrow(() -> new KizunaException(ErrorCode.UNAUTHENTICATED, "The terminal key is not valid."));
        if (keyCacheNanos > 0) {
            if (knownKeys.size() >= MAX_CACHED_KEYS) {
                knownKeys.clear();
            }
            knownKeys.put(cacheKey, found);
        }
        return found.terminal();
    }

    public Product putProduct(Caller caller, Product product) {
        return transactions.inTransaction(em -> {
            ProductEntity existing = em.find(ProductEntity.class, product.sku());
            if (existing == null) {
                em.persist(new ProductEntity(product, clock.instant()));
            } else {
                existing.update(product, clock.instant());
            }
            auditLog.record(em, caller.action("product.put", product.sku(),
                    "category=" + product.category() + " excluded=" + product.excludedFromEarning()));
            return product;
        });
    }

    public Product product(String sku) {
        return transactions.inTransaction(em -> {
            ProductEntity product = em.find(ProductEntity.class, sku);
            if (product == null) {
                throw new KizunaException(ErrorCode.NOT_FOUND, "No product has the SKU " + sku + ".");
            }
            return product.product();
        });
    }

    /** The catalogue entries of the given SKUs that exist, by SKU, read inside the caller's transaction. */
    public static Map<String, Product> products(EntityManager em, Collection<String> skus) {
        if (skus.isEmpty()) {
            return Map.of();
        }
        return em.createQuery("SELECT p FROM ProductEntity p WHERE p.sku IN :skus", ProductEntity.class)
                .setParameter("skus", skus)
                .getResultStream()
                .map(ProductEntity::product)
                .collect(Collectors.toMap(Product::sku, Function.identity()));
    }

    private static void requireStore(EntityManager em, String storeCode) {
        if (storeCode == null || em.find(StoreEntity.class, storeCode) == null) {
            throw new KizunaException(ErrorCode.NOT_FOUND, "No store has the code " + storeCode + ".");
        }
    }

    private static void requireCode(String what, String code) {
        if (code == null || !code.matches(CODE)) {
            throw KizunaException.invalid("A " + what + " is 1 to 32 letters, digits, _ or -.");
        }
    }
}
