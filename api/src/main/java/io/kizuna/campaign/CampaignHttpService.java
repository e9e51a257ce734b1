package io.kizuna.campaign;

import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.kizuna.error.ErrorCode;
import io.kizuna.error.KizunaException;
import io.kizuna.staff.Permission;
import io.kizuna.staff.StaffAccess;
import io.kizuna.staff.StaffAccess.Caller;
import io.kizuna.web.Http;

/**
 * /api/v1/campaigns: marketers define campaigns and move them through their lifecycle (MANAGE_CAMPAIGNS) and read
 * them with their arms' sizes and points (READ_ANALYTICS).
 */
public final class CampaignHttpService implements HttpService {
    private final Campaigns campaigns;
    private final StaffAccess access;
    private final Http http;

    public CampaignHttpService(Campaigns campaigns, StaffAccess access, Http http) {
        this.campaigns = campaigns;
        this.access = access;
        this.http = http;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/campaigns", access.require(Permission.READ_ANALYTICS, this::list))
                .post("/campaigns", access.require(Permission.MANAGE_CAMPAIGNS, this::create))
                .get("/campaigns/{id}", access.require(Permission.READ_ANALYTICS, this::get))
                .put("/campaigns/{id}", access.require(Permission.MANAGE_CAMPAIGNS, this::replace))
                .post("/campaigns/{id}/transitions", access.require(Permission.MANAGE_CAMPAIGNS, this::transition));
    }

    private void list(ServerRequest request, ServerResponse response, Caller caller) {
        http.ok(response, campaigns.list());
    }

    private void create(ServerRequest request, ServerResponse response, Caller caller) {
        CampaignDefinition definition = read(request, CampaignDefinition.class);
        http.send(response, Status.CREATED_201, campaigns.create(caller, definition));
    }

    private void get(ServerRequest request, ServerResponse response, Caller caller) {
        http.ok(response, campaigns.get(id(request)));
    }

    private void replace(ServerRequest request, ServerResponse response, Caller caller) {
        UUID id = id(request);
        http.ok(response, campaigns.replace(caller, id, read(request, CampaignDefinition.class)));
    }

    private void transition(ServerRequest request, ServerResponse response, Caller caller) {
        UUID id = id(request);
        http.ok(response, campaigns.transition(caller, id, read(request, Campaigns.Transition.class)));
    }

    /**
     * The body as {@code type}, strictly: an unknown reward kind or a failed check says what is wrong (400
     * invalid_request); unknown fields and wrong types are malformed JSON, as everywhere else.
     */
    private <T> T read(ServerRequest request, Class<T> type) {
        JsonNode body = http.read(request, JsonNode.class);
        if (!body.isObject()) {
            throw new KizunaException(ErrorCode.MALFORMED_JSON, "The request body must be a JSON object.");
        }
        try {
            return http.mapper().treeToValue(body, type);
        } catch (InvalidTypeIdException e) {
            throw KizunaException.invalid((e.getTypeId() == null ? "A reward needs a kind"
                    : "There is no reward kind '" + e.getTypeId() + "'") + "; the kinds are " + Reward.kinds() + ".");
        } catch (UnrecognizedPropertyException e) {
            throw new KizunaException(ErrorCode.MALFORMED_JSON, "Unknown field '" + e.getPropertyName() + "'.");
        } catch (MismatchedInputException e) {
            throw new KizunaException(ErrorCode.MALFORMED_JSON, "A field has the wrong type or is missing.");
        } catch (JsonProcessingException e) {
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof KizunaException invalid) {
                    throw invalid;
                }
            }
            throw new KizunaException(ErrorCode.MALFORMED_JSON, "The request body is not a valid campaign.");
        }
    }

    private static UUID id(ServerRequest request) {
        try {
            return UUID.fromString(request.path().pathParameters().get("id"));
        } catch (IllegalArgumentException e) {
            throw new KizunaException(ErrorCode.NOT_FOUND, "There is no campaign with this id.");
        }
    }
}
