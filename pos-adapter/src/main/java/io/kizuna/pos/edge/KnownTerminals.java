package io.kizuna.pos.edge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kizuna.pos.Terminal;

/**
 * Terminal keys the centre has confirmed, by their SHA-256, kept on disk: while the centre is unreachable, a till
 * whose key was confirmed before can still sell. A key the edge has never seen waits for the centre.
 */
final class KnownTerminals {
    private final Path file;
    private final ObjectMapper json;
    private final Map<String, Terminal> byKeyHash = new ConcurrentHashMap<>();

    KnownTerminals(Path file, ObjectMapper json) {
        this.file = file;
        this.json = json;
        if (Files.exists(file)) {
            try {
                byKeyHash.putAll(json.readValue(file.toFile(), new TypeReference<Map<String, Terminal>>() { }));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + file, e);
            }
        }
    }

    Optional<Terminal> recall(String key) {
        return Optional.ofNullable(byKeyHash.get(hash(key)));
    }

    synchronized void remember(String key, Terminal terminal) {
        if (terminal.equals(byKeyHash.put(hash(key), terminal))) {
            return;
        }
        try {
            Path next = file.resolveSibling(file.getFileName() + ".next");
            Files.write(next, json.writeValueAsBytes(byKeyHash));
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    private static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
