package io.kizuna.store;

import java.util.UUID;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.kizuna.error.ErrorCode;
import io.kizuna.error.KizunaException;
import io.kizuna.staff.Permission;
import io.kizuna.staff.StaffAccess.Caller;
import io.kizuna.staff.StaffAccess;
import io.kizuna.web.Http;

/** /api/v1/stores and /api/v1/products: what the tills need to exist before they can sell. */
public final class StoreHttpService implements HttpService {
    private final Stores stores;
    private final StaffAccess access;
    private final Http http;

    public StoreHttpService(Stores stores, StaffAccess access, Http http) {
        this.stores = stores;
        this.access = access;
        this.http = http;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/stores", access.require(Permission.READ_MEMBERS, this::listStores))
                .post("/stores", access.require(Permission.MANAGE_STORES, this::createStore))
                .get("/stores/{code}/terminals", access.require(Permission.MANAGE_STORES, this::listTerminals))
                .post("/stores/{code}/terminals", access.require(Permission.MANAGE_STORES, this::addTerminal))
                .post("/terminals/{id}/revoke", access.require(Permission.MANAGE_STORES, this::revokeTerminal))
                .get("/products/{sku}", access.require(Permission.READ_MEMBERS, this::product))
                .put("/products/{sku}", access.require(Permission.MANAGE_STORES, this::putProduct));
    }

    record StoreRequest(String code, String name) {
    }

    record TerminalRequest(String code) {
    }

    record ProductRequest(String name, String category, boolean excludedFromEarning) {
    }

    private void listStores(ServerRequest request, ServerResponse response, Caller caller) {
        http.ok(response, stores.stores());
    }

    private void createStore(ServerRequest request, ServerResponse response, Caller caller) {
        StoreRequest body = http.read(request, StoreRequest.class);
        http.send(response, Status.CREATED_201, stores.createStore(caller, body.code(), body.name()));
    }

    private void listTerminals(ServerRequest request, ServerResponse response, Caller caller) {
        http.ok(response, stores.terminals(request.path().pathParameters().get("code")));
    }

    private void addTerminal(ServerRequest request, ServerResponse response, Caller caller) {
        TerminalRequest body = http.read(request, TerminalRequest.class);
        http.send(response, Status.CREATED_201,
                stores.addTerminal(caller, request.path().pathParameters().get("code"), body.code()));
    }

    private void revokeTerminal(ServerRequest request, ServerResponse response, Caller caller) {
        http.ok(response, stores.revokeTerminal(caller, terminalId(request)));
    }

    private static UUID terminalId(ServerRequest request) {
        String id = request.path().pathParameters().get("id");
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new KizunaException(ErrorCode.NOT_FOUND, "No terminal has the id " + id + ".");
        }
    }

    private void product(ServerRequest request, ServerResponse response, Caller caller) {
        http.ok(response, stores.product(request.path().pathParameters().get("sku")));
    }

    private void putProduct(ServerRequest request, ServerResponse response, Caller caller) {
        ProductRequest body = http.read(request, ProductRequest.class);
        http.ok(response, stores.putProduct(caller, new Product(request.path().pathParameters().get("sku"),
                body.name(), body.category(), body.excludedFromEarning())));
    }
}
