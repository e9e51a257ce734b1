package io.kizuna.segment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.kizuna.error.ErrorCode;
import io.kizuna.error.KizunaException;
import io.kizuna.web.Http;

/**
 * Turns a request body into segment records, strictly: an unknown or missing criterion kind and a failed check say
 * what is wrong (400 invalid_request); unknown fields and wrong types are malformed JSON, as everywhere else.
 */
final class DefinitionReader {
    private final ObjectMapper json;

    DefinitionReader(ObjectMapper json) {
        this.json = json;
    }

    <T> T read(JsonNode body, Class<T> type) {
        if (body == null || !body.isObject()) {
            throw new KizunaException(ErrorCode.MALFORMED_JSON, "The request body must be a JSON object.");
        }
        try {
            return json.treeToValue(body, type);
        } catch (InvalidTypeIdException e) {
            throw KizunaException.invalid((e.getTypeId() == null ? "Every criterion needs a kind"
                    : "There is no criterion kind '" + e.getTypeId() + "'") + "; the kinds are "
                    + SegmentDefinition.kinds() + ".");
        } catch (UnrecognizedPropertyException e) {
            throw new KizunaException(ErrorCode.MALFORMED_JSON, "Unknown field '" + e.getPropertyName() + "'.");
        } catch (MismatchedInputException e) {
            throw new KizunaException(ErrorCode.MALFORMED_JSON,
                    "Field '" + Http.fieldPath(e) + "' has the wrong type.");
        } catch (JsonProcessingException e) {
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof KizunaException invalid) {
                    throw invalid;
                }
            }
            throw new KizunaException(ErrorCode.MALFORMED_JSON, "The request body is not a valid segment.");
        }
    }
}
