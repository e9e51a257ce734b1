package io.kizuna.persistence;

import java.util.UUID;

import com.github.f4b6a3.uuid.UuidCreator;

/** Time-ordered ids (UUIDv7, monotonic within a process) for every row Kizuna creates. */
public final class Ids {
    private Ids() {
    }

    public static UUID next() {
        return UuidCreator.getTimeOrderedEpoch();
    }
}
