package io.kizuna.pos.edge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The store edge's durable queue: every request a till sends is appended here and forced to disk before the till
 * gets an answer, and stays pending until the central server has taken it. Append-only, one record per line:
 * {@code <crc32c hex> <kind> <sequence> <epoch millis> <payload>}. A last record cut short by a crash (no newline,
 * or a checksum that does not match) was never acknowledged to anyone, so it is dropped; damage anywhere else
 * stops the edge rather than lose acknowledged requests.
 */
public final class Journal implements AutoCloseable {
    private static final String ENTRY = "E";
    private static final String DONE = "D";

    private final FileChannel channel;
    private final Map<Long, Entry> pending = new LinkedHashMap<>();
    private long lastSequence;

    /** A journalled request: its place in the order, when it arrived, and what it says. */
    public record Entry(long sequence, Instant receivedAt, String payload) {
    }

    private Journal(FileChannel channel) {
        this.channel = channel;
    }

    /** Opens (or creates) the journal in {@code file}, recovering what was pending when it was last closed. */
    public static Journal open(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            Journal journal = new Journal(channel);
            journal.recover();
            return journal;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the journal " + file, e);
        }
    }

    /** Appends a request and forces it to disk; only then may the till be answered. */
    public synchronized Entry append(String payload, Instant receivedAt) {
        if (payload.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("A journal payload is one line");
        }
        Entry entry = new Entry(++lastSequence, receivedAt, payload);
        write(ENTRY + " " + entry.sequence() + " " + receivedAt.toEpochMilli() + " " + payload);
        pending.put(entry.sequence(), entry);
        return entry;
    }

    /** Records that the central server has taken the request: it will not be sent again. */
    public synchronized void done(long sequence) {
        if (pending.remove(sequence) != null) {
            write(DONE + " " + sequence + " 0 -");
        }
    }

    /** What still has to reach the central server, oldest first. */
    public synchronized List<Entry> pending() {
        return List.copyOf(pending.values());
    }

    public synchronized boolean isPending(long sequence) {
        return pending.containsKey(sequence);
    }

    public synchronized int depth() {
        return pending.size();
    }

    /** The sequence number of the oldest request still waiting, if any. */
    public synchronized java.util.OptionalLong oldestPendingSequence() {
        return pending.keySet().stream().mapToLong(Long::longValue).findFirst();
    }

    public synchronized Optional<Instant> oldestPending() {
        return pending.values().stream().findFirst().map(Entry::receivedAt);
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void write(String record) {
        byte[] line = (checksum(record) + " " + record + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                channel.write(buffer, channel.size());
            }
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the journal", e);
        }
    }

    private void recover() throws IOException {
        byte[] content = new byte[(int) channel.size()];
        channel.read(ByteBuffer.wrap(content), 0);
        long intact = 0;
        int start = 0;
        for (int end = indexOf(content, start); end >= 0; end = indexOf(content, start)) {
            String line = new String(content, start, end - start, StandardCharsets.UTF_8);
            if (!replay(line)) {
                if (end + 1 < content.length) {
                    // Damage before the last record is a disk fault, not a crash: dropping what follows would
                    // lose requests tills were told are safe.
                    throw new IllegalStateException("The journal is damaged at byte " + start
                            + "; it needs an operator, not a silent repair");
                }
                break;
            }
            start = end + 1;
            intact = start;
        }
        if (intact < content.length) {
            // A torn tail from a crash: nobody was answered for it, so it never happened.
            channel.truncate(intact);
            channel.force(true);
        }
    }

    /** Applies one recovered record; false when it is damaged and recovery must stop here. */
    private boolean replay(String line) {
        String[] parts = line.split(" ", 5);
        if (parts.length != 5 || !parts[0].equals(checksum(line.substring(parts[0].length() + 1)))) {
            return false;
        }
        long sequence = Long.parseLong(parts[2]);
        if (ENTRY.equals(parts[1])) {
            pending.put(sequence, new Entry(sequence, Instant.ofEpochMilli(Long.parseLong(parts[3])), parts[4]));
            lastSequence = Math.max(lastSequence, sequence);
        } else if (DONE.equals(parts[1])) {
            pending.remove(sequence);
        } else {
            return false;
        }
        return true;
    }

    private static int indexOf(byte[] content, int from) {
        for (int i = from; i < content.length; i++) {
            if (content[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static String checksum(String record) {
        CRC32C crc = new CRC32C();
        crc.update(record.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().toHexDigits((int) crc.getValue());
    }
}
