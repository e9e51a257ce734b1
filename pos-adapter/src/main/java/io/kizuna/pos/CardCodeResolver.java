package io.kizuna.pos;

import io.kizuna.card.CardNumber;
import io.kizuna.card.RotatingCardCode;
import io.kizuna.error.ErrorCode;
import io.kizuna.error.KizunaException;

/**
 * Turns a member app's rotating card code into the card it stands for, refusing expired and forged codes. Only
 * the central server holds the key (an edge asks it); a till then uses the card number from the identify reply.
 */
@FunctionalInterface
public interface CardCodeResolver {
    /** For a process that can neither check codes nor ask a server that can: every rotating code is refused. */
    CardCodeResolver NONE = (terminal, code) -> {
        throw new KizunaException(ErrorCode.CARD_CODE_INVALID, "This server cannot check app card codes.");
    };

    CardNumber resolve(Terminal terminal, RotatingCardCode code);
}
