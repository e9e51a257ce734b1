package io.kizuna.pos.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
    private static final Instant NOW = Instant.parse("2026-11-23T01:00:00Z");

    @TempDir
    Path folder;

    @Test
    void whatWasNotDoneIsStillPendingAfterAReopenInTheSameOrder() {
        Path file = folder.resolve("journal.log");
        try (Journal journal = Journal.open(file)) {
            journal.append("{\"sale\":1}", NOW);
            long second = journal.append("{\"sale\":2}", NOW.plusSeconds(1)).sequence();
            journal.append("{\"sale\":3}", NOW.plusSeconds(2));
            journal.done(second);
        }
        try (Journal journal = Journal.open(file)) {
            assertEquals(List.of("{\"sale\":1}", "{\"sale\":3}"),
                    journal.pending().stream().map(Journal.Entry::payload).toList());
            assertEquals(NOW, journal.oldestPending().orElseThrow());
            assertEquals(4, journal.append("{\"sale\":4}", NOW).sequence(), "numbering continues after a reopen");
        }
    }

    @Test
    void aRecordTornByACrashIsDroppedAndTheJournalStaysUsable() throws IOException {
        Path file = folder.resolve("journal.log");
        try (Journal journal = Journal.open(file)) {
            journal.append("{\"sale\":1}", NOW);
        }
        Files.writeString(file, "0badc0de E 2 1700000000000 {\"sale\":", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        try (Journal journal = Journal.open(file)) {
            assertEquals(1, journal.depth());
            journal.append("{\"sale\":2}", NOW);
        }
        try (Journal journal = Journal.open(file)) {
            assertEquals(List.of("{\"sale\":1}", "{\"sale\":2}"),
                    journal.pending().stream().map(Journal.Entry::payload).toList());
        }
    }

    @Test
    void damageBeforeTheLastRecordStopsRecoveryInsteadOfDroppingAcknowledgedRequests() throws IOException {
        Path file = folder.resolve("journal.log");
        try (Journal journal = Journal.open(file)) {
            journal.append("{\"points\":10}", NOW);
            journal.append("{\"points\":20}", NOW);
        }
        Files.writeString(file, Files.readString(file).replace("10", "99"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> Journal.open(file));
    }

    @Test
    void aDamagedLastRecordIsNotBelieved() throws IOException {
        Path file = folder.resolve("journal.log");
        try (Journal journal = Journal.open(file)) {
            journal.append("{\"points\":10}", NOW);
        }
        String tampered = Files.readString(file).replace("10", "99");
        Files.writeString(file, tampered);
        try (Journal journal = Journal.open(file)) {
            assertEquals(0, journal.depth(), "a record whose checksum fails is cut off, not replayed");
            assertTrue(Files.size(file) == 0);
        }
    }
}
