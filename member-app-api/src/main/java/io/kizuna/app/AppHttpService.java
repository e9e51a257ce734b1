package io.kizuna.app;

import java.nio.charset.StandardCharsets;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.kizuna.app.AppProtocol.AppConsents;
import io.kizuna.app.AppProtocol.AppSession;
import io.kizuna.app.AppProtocol.Deletion;
import io.kizuna.app.AppProtocol.NpsAnswer;
import io.kizuna.app.AppProtocol.PasswordChange;
import io.kizuna.app.AppProtocol.Refresh;
import io.kizuna.app.AppProtocol.SignIn;
import io.kizuna.app.AppProtocol.SignUp;
import io.kizuna.error.ErrorCode;
import io.kizuna.error.KizunaException;
import io.kizuna.web.Http;

/**
 * /app/v1: the member app's API, spoken against whatever implements {@link MemberAppPort}. Sign-up, sign-in and
 * refresh are open; every other route needs 'Authorization: Bearer &lt;access token&gt;' and acts on the token's
 * member only: no route takes a member id.
 */
public final class AppHttpService implements HttpService {
    private static final int DEFAULT_PAGE = 50;

    private final MemberAppPort port;
    private final Http http;
    private final HeaderName clientAddressHeader;

    /**
     * @param clientAddressHeader the header a trusted proxy puts the client's address in (its last entry is
     *                            used), or null to use the connection's peer address
     */
    public AppHttpService(MemberAppPort port, Http http, String clientAddressHeader) {
        this.port = port;
        this.http = http;
        this.clientAddressHeader = clientAddressHeader == null || clientAddressHeader.isBlank() ? null
                : HeaderNames.create(clientAddressHeader);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/accounts", this::signUp)
                .post("/sessions", this::signIn)
                .post("/sessions/refresh", this::refresh)
                .delete("/sessions/current", this::signOut)
                .put("/me/password", this::changePassword)
                .get("/me", this::me)
                .delete("/me", this::delete)
                .get("/me/export", this::export)
                .get("/consents", this::consents)
                .put("/consents", this::changeConsents)
                .get("/card", this::card)
                .get("/card.png", this::cardPng)
                .get("/card.svg", this::cardSvg)
                .get("/card/code", this::cardCode)
                .get("/points", this::balance)
                .get("/points/history", this::history)
                .get("/tier", this::tier)
                .get("/offers", this::offers)
                .post("/offers/{offerId}/entry", this::enterOffer)
                .post("/surveys/nps", this::answerNps);
    }

    private void signUp(ServerRequest request, ServerResponse response) {
        http.send(response, Status.CREATED_201, port.signUp(http.read(request, SignUp.class), clientAddress(request)));
    }

    private void signIn(ServerRequest request, ServerResponse response) {
        http.send(response, Status.CREATED_201, port.signIn(http.read(request, SignIn.class), clientAddress(request)));
    }

    private void refresh(ServerRequest request, ServerResponse response) {
        http.ok(response, port.refresh(http.read(request, Refresh.class)));
    }

    private void signOut(ServerRequest request, ServerResponse response) {
        port.signOut(session(request));
        response.status(Status.NO_CONTENT_204).send();
    }

    private void changePassword(ServerRequest request, ServerResponse response) {
        AppSession session = session(request);
        port.changePassword(session, http.read(request, PasswordChange.class), clientAddress(request));
        response.status(Status.NO_CONTENT_204).send();
    }

    private void me(ServerRequest request, ServerResponse response) {
        http.ok(response, port.me(session(request)));
    }

    private void delete(ServerRequest request, ServerResponse response) {
        AppSession session = session(request);
        port.delete(session, http.read(request, Deletion.class), clientAddress(request));
        response.status(Status.NO_CONTENT_204).send();
    }

    private void export(ServerRequest request, ServerResponse response) {
        http.ok(response, port.export(session(request)));
    }

    private void consents(ServerRequest request, ServerResponse response) {
        http.ok(response, port.consents(session(request)));
    }

    private void changeConsents(ServerRequest request, ServerResponse response) {
        AppSession session = session(request);
        http.ok(response, port.changeConsents(session, http.read(request, AppConsents.class)));
    }

    private void card(ServerRequest request, ServerResponse response) {
        String number = port.card(session(request)).value();
        record CardReply(String number, String png, String svg) {
        }
        http.ok(response, new CardReply(number, "/app/v1/card.png", "/app/v1/card.svg"));
    }

    private void cardPng(ServerRequest request, ServerResponse response) {
        AppSession session = session(request);
        CardImages.Format format = CardImages.Format.parse(Http.query(request, "format").orElse(null));
        send(response, "image/png", CardImages.png(port.card(session).value(), format));
    }

    private void cardSvg(ServerRequest request, ServerResponse response) {
        AppSession session = session(request);
        CardImages.Format format = CardImages.Format.parse(Http.query(request, "format").orElse(null));
        send(response, "image/svg+xml",
                CardImages.svg(port.card(session).value(), format).getBytes(StandardCharsets.UTF_8));
    }

    private void cardCode(ServerRequest request, ServerResponse response) {
        AppSession session = session(request);
        response.header(HeaderNames.CACHE_CONTROL, "no-store");
        http.ok(response, port.cardCode(session));
    }

    private void balance(ServerRequest request, ServerResponse response) {
        http.ok(response, port.balance(session(request)));
    }

    private void history(ServerRequest request, ServerResponse response) {
        AppSession session = session(request);
        http.ok(response, port.history(session, Http.query(request, "cursor").orElse(null),
                Http.intQuery(request, "limit", DEFAULT_PAGE)));
    }

    private void tier(ServerRequest request, ServerResponse response) {
        http.ok(response, port.tier(session(request)));
    }

    private void offers(ServerRequest request, ServerResponse response) {
        http.ok(response, port.offers(session(request)));
    }

    private void enterOffer(ServerRequest request, ServerResponse response) {
        http.ok(response, port.enterOffer(session(request), request.path().pathParameters().get("offerId")));
    }

    private void answerNps(ServerRequest request, ServerResponse response) {
        AppSession session = session(request);
        http.send(response, Status.CREATED_201, port.answerNps(session, http.read(request, NpsAnswer.class)));
    }

    private static void send(ServerResponse response, String mediaType, byte[] body) {
        response.header(HeaderNames.CONTENT_TYPE, mediaType);
        response.header(HeaderNames.CACHE_CONTROL, "private, max-age=300");
        response.send(body);
    }

    private AppSession session(ServerRequest request) {
        String header = request.headers().first(HeaderNames.AUTHORIZATION).orElse("");
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new KizunaException(ErrorCode.UNAUTHENTICATED,
                    "Send the access token as 'Authorization: Bearer <token>'.");
        }
        return port.authenticate(header.substring(7).strip());
    }

    private String clientAddress(ServerRequest request) {
        if (clientAddressHeader != null) {
            String forwarded = request.headers().first(clientAddressHeader).orElse("");
            String[] hops = forwarded.split(",");
            String last = hops[hops.length - 1].strip();
            if (!last.isEmpty()) {
                return last;
            }
        }
        return request.remotePeer().host();
    }
}
