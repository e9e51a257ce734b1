package io.kizuna.pos;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.kizuna.error.ErrorCode;
import io.kizuna.error.KizunaException;
import io.kizuna.web.Http;

/** /pos/v1: the terminal protocol, spoken against whatever implements {@link PosPort}. */
public final class PosHttpService implements HttpService {
    private static final int MAX_IMAGE_BYTES = 4 * 1024 * 1024;
    private static final int MAX_POSLOG_BYTES = 8 * 1024 * 1024;
    private final PosPort port;
    private final PosLogIngest posLog;
    private final Http http;
    private final CardCodeResolver cardCodes;

    public PosHttpService(PosPort port, PosLogReader posLogReader, Http http) {
        this(port, posLogReader, http, CardCodeResolver.NONE);
    }

    /** With {@code cardCodes}, identify also accepts the member app's rotating card codes. */
    public PosHttpService(PosPort port, PosLogReader posLogReader, Http http, CardCodeResolver cardCodes) {
        this.port = port;
        this.posLog = new PosLogIngest(port, posLogReader);
        this.http = http;
        this.cardCodes = cardCodes;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/terminal", this::whoAmI)
                .post("/identify", this::identify)
                .post("/sales", this::sale)
                .post("/holds", this::hold)
                .post("/holds/{holdId}/release", this::release)
                .post("/returns", this::recordReturn)
                .post("/voids", this::voidSale)
                .post("/poslog", this::posLog);
    }

    /** Which store and terminal a key belongs to: how a till (or an edge) checks its key. */
    private void whoAmI(ServerRequest request, ServerResponse response) {
        http.ok(response, terminal(request));
    }

    /**
     * Scanner text as JSON, or a camera picture sent as image/png or image/jpeg: a card number or an app's
     * rotating code. The reply names the card, which the till then sends with the sale.
     */
    private void identify(ServerRequest request, ServerResponse response) {
        Terminal terminal = terminal(request);
        String scanned = Http.mediaType(request).startsWith("image/")
                ? ScanImage.decode(Http.readBounded(request, MAX_IMAGE_BYTES)).text()
                : http.read(request, PosProtocol.Scan.class).scan();
        http.ok(response, port.identify(terminal,
                ScanText.cardNumber(scanned, code -> cardCodes.resolve(terminal, code))));
    }

    private void sale(ServerRequest request, ServerResponse response) {
        Terminal terminal = terminal(request);
        PosProtocol.SaleReply reply = port.recordSale(terminal, http.read(request, PosProtocol.Sale.class));
        http.send(response, reply.replay() ? Status.OK_200 : Status.CREATED_201, reply);
    }

    private void hold(ServerRequest request, ServerResponse response) {
        Terminal terminal = terminal(request);
        http.send(response, Status.CREATED_201,
                port.holdPoints(terminal, http.read(request, PosProtocol.PointsHold.class)));
    }

    private void release(ServerRequest request, ServerResponse response) {
        Terminal terminal = terminal(request);
        http.ok(response, port.releaseHold(terminal, request.path().pathParameters().get("holdId")));
    }

    private void recordReturn(ServerRequest request, ServerResponse response) {
        Terminal terminal = terminal(request);
        PosProtocol.ReturnReply reply = port.recordReturn(terminal, http.read(request, PosProtocol.Return.class));
        http.send(response, reply.replay() ? Status.OK_200 : Status.CREATED_201, reply);
    }

    private void voidSale(ServerRequest request, ServerResponse response) {
        Terminal terminal = terminal(request);
        PosProtocol.ReturnReply reply = port.voidSale(terminal, http.read(request, PosProtocol.VoidSale.class));
        http.send(response, reply.replay() ? Status.OK_200 : Status.CREATED_201, reply);
    }

    /** An ARTS POSLog document: one transaction or a whole business day. */
    private void posLog(ServerRequest request, ServerResponse response) {
        Terminal terminal = terminal(request);
        String mediaType = Http.mediaType(request);
        if (!mediaType.equals("application/xml") && !mediaType.equals("text/xml") && !mediaType.endsWith("+xml")) {
            throw new KizunaException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Send POSLog as application/xml.");
        }
        http.ok(response, posLog.ingest(terminal, Http.readBounded(request, MAX_POSLOG_BYTES)));
    }

    private Terminal terminal(ServerRequest request) {
        String header = request.headers().first(HeaderNames.AUTHORIZATION).orElse("");
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new KizunaException(ErrorCode.UNAUTHENTICATED,
                    "Send the terminal key as 'Authorization: Bearer <key>'.");
        }
        return port.authenticate(header.substring(7).strip());
    }
}
