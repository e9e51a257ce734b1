package io.kizuna.pos;

import io.kizuna.card.CardNumber;

/**
 * What the store channel needs from a Kizuna core. Inside the server the core implements it in-process; an
 * in-store edge implements it by forwarding to a central server. Every method answers for one terminal, which
 * acts only for its own store.
 */
public interface PosPort {
    /** The terminal a key belongs to; refuses unknown and revoked keys. */
    Terminal authenticate(String terminalKey);

    /** Who a scanned card belongs to, as much as a cashier may see, and the points on it. */
    PosProtocol.Identification identify(Terminal terminal, CardNumber card);

    /** Records a sale in one transaction: receipt, earned points, points paid. Exactly once per receipt key. */
    PosProtocol.SaleReply recordSale(Terminal terminal, PosProtocol.Sale sale);

    /** Reserves points to pay with; the sale captures them, a release or the timeout gives them back. */
    PosProtocol.HoldReply holdPoints(Terminal terminal, PosProtocol.PointsHold hold);

    PosProtocol.HoldReply releaseHold(Terminal terminal, String holdId);

    /** Takes back some lines of a sale of this store: their points in proportion, and points paid likewise. */
    PosProtocol.ReturnReply recordReturn(Terminal terminal, PosProtocol.Return request);

    /** Cancels a whole sale of this terminal. */
    PosProtocol.ReturnReply voidSale(Terminal terminal, PosProtocol.VoidSale request);
}
