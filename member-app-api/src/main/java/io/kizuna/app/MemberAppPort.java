package io.kizuna.app;

import io.kizuna.app.AppProtocol.AppConsents;
import io.kizuna.app.AppProtocol.AppSession;
import io.kizuna.app.AppProtocol.Balance;
import io.kizuna.app.AppProtocol.CardCode;
import io.kizuna.app.AppProtocol.Deletion;
import io.kizuna.app.AppProtocol.Export;
import io.kizuna.app.AppProtocol.History;
import io.kizuna.app.AppProtocol.Me;
import io.kizuna.app.AppProtocol.NpsAnswer;
import io.kizuna.app.AppProtocol.NpsReceipt;
import io.kizuna.app.AppProtocol.Offers;
import io.kizuna.app.AppProtocol.PasswordChange;
import io.kizuna.app.AppProtocol.Refresh;
import io.kizuna.app.AppProtocol.SignIn;
import io.kizuna.app.AppProtocol.SignUp;
import io.kizuna.app.AppProtocol.Tier;
import io.kizuna.app.AppProtocol.Tokens;
import io.kizuna.card.CardNumber;

/**
 * What the member app needs from the core. Everything after sign-in takes the {@link AppSession} that
 * {@link #authenticate} returned and reads or changes that member's data only.
 */
public interface MemberAppPort {
    /** Creates a member with a sign-in account and a virtual card, or with the plastic card they hold. */
    Tokens signUp(SignUp signUp, String clientAddress);

    /** Refused without checking the password once the account or the address failed too often. */
    Tokens signIn(SignIn signIn, String clientAddress);

    /** Renews a session; the refresh token is spent and a new one is given. */
    Tokens refresh(Refresh refresh);

    /** The session a valid, unexpired, unrevoked access token speaks for. */
    AppSession authenticate(String accessToken);

    void signOut(AppSession session);

    /** Changes the password and revokes every other session. */
    void changePassword(AppSession session, PasswordChange change, String clientAddress);

    Me me(AppSession session);

    AppConsents consents(AppSession session);

    AppConsents changeConsents(AppSession session, AppConsents change);

    /** The card the app shows: the member's newest active card. */
    CardNumber card(AppSession session);

    CardCode cardCode(AppSession session);

    Balance balance(AppSession session);

    History history(AppSession session, String cursor, int limit);

    Tier tier(AppSession session);

    /** The campaigns the member is offered, with their entry state. */
    Offers offers(AppSession session);

    /** Opts the member in to an offer that requires entry; entering again changes nothing. */
    AppProtocol.Offer enterOffer(AppSession session, String offerId);

    NpsReceipt answerNps(AppSession session, NpsAnswer answer);

    Export export(AppSession session);

    /** Erases the member's personal data after re-checking the password; the ledger keeps its history. */
    void delete(AppSession session, Deletion deletion, String clientAddress);
}
