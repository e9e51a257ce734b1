package io.kizuna.member;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.kizuna.card.CardNumber;
import io.kizuna.error.KizunaException;
import io.kizuna.ledger.PointsService;
import io.kizuna.staff.Permission;
import io.kizuna.staff.StaffAccess.Caller;
import io.kizuna.staff.StaffAccess;
import io.kizuna.web.Http;
import io.kizuna.web.IdempotencyKey;

/** /api/v1/cards: issue, look up, register, block and replace cards. */
public final class CardHttpService implements HttpService {
    private final Cards cards;
    private final PointsService points;
    private final StaffAccess access;
    private final Http http;

    public CardHttpService(Cards cards, PointsService points, StaffAccess access, Http http) {
        this.cards = cards;
        this.points = points;
        this.access = access;
        this.http = http;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/cards", access.require(Permission.WRITE_MEMBERS, this::issue))
                .get("/cards/{number}", access.require(Permission.READ_MEMBERS, this::get))
                .get("/cards/{number}/balance", access.require(Permission.READ_LEDGER, this::balance))
                .post("/cards/{number}/register", access.require(Permission.WRITE_MEMBERS, this::register))
                .post("/cards/{number}/block", access.require(Permission.WRITE_MEMBERS, this::block))
                .post("/cards/{number}/replace", access.require(Permission.WRITE_MEMBERS, this::replace));
    }

    record RegistrationRequest(MemberId memberId) {
    }

    record BlockRequest(String reason) {
    }

    record ReplaceRequest(CardKind kind) {
    }

    private void issue(ServerRequest request, ServerResponse response, Caller caller) {
        IdempotencyKey key = Http.idempotencyKey(request);
        Receipts.CardReceipt receipt = cards.issue(caller, key, http.read(request, Cards.Issue.class));
        http.send(response, receipt.replay() ? Status.OK_200 : Status.CREATED_201, receipt);
    }

    private void get(ServerRequest request, ServerResponse response, Caller caller) {
        http.ok(response, cards.get(cardNumber(request)));
    }

    private void balance(ServerRequest request, ServerResponse response, Caller caller) {
        http.ok(response, points.balance(cards.walletOf(cardNumber(request))));
    }

    private void register(ServerRequest request, ServerResponse response, Caller caller) {
        IdempotencyKey key = Http.idempotencyKey(request);
        RegistrationRequest body = http.read(request, RegistrationRequest.class);
        if (body.memberId() == null) {
            throw KizunaException.invalid("Name the member in memberId.");
        }
        http.ok(response, cards.register(caller, key, cardNumber(request), body.memberId()));
    }

    private void block(ServerRequest request, ServerResponse response, Caller caller) {
        http.ok(response, cards.block(caller, cardNumber(request), http.read(request, BlockRequest.class).reason()));
    }

    private void replace(ServerRequest request, ServerResponse response, Caller caller) {
        IdempotencyKey key = Http.idempotencyKey(request);
        ReplaceRequest body = http.read(request, ReplaceRequest.class);
        Receipts.CardReceipt receipt = cards.replace(caller, key, cardNumber(request), body.kind());
        http.send(response, receipt.replay() ? Status.OK_200 : Status.CREATED_201, receipt);
    }

    private static CardNumber cardNumber(ServerRequest request) {
        return CardNumber.parse(request.path().pathParameters().get("number"));
    }
}
