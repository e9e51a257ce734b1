package io.kizuna.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.OptionalLong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.kizuna.error.ErrorCode;
import io.kizuna.error.KizunaException;

/**
 * Reading and writing JSON over HTTP: bodies are bounded in size, strictly typed, and every failure becomes a
 * {@link KizunaException} with a stable code (mapped once, by {@link Problems}).
 */
public final class Http {
    public static final String JSON = "application/json";
    private static final HeaderName IDEMPOTENCY_KEY = HeaderNames.create("Idempotency-Key");

    private final ObjectMapper json;
    private final int maxBodyBytes;

    public Http(ObjectMapper json, int maxBodyBytes) {
        this.json = json;
        this.maxBodyBytes = maxBodyBytes;
    }

    public ObjectMapper mapper() {
        return json;
    }

    /** Reads the body as {@code type}; an empty body, bad JSON or wrong types are a 400, a large body a 413. */
    public <T> T read(ServerRequest request, Class<T> type) {
        requireJsonContentType(request);
        byte[] body = readBounded(request, maxBodyBytes);
        if (body.length == 0) {
            throw new KizunaException(ErrorCode.MALFORMED_JSON, "The request needs a JSON body.");
        }
        try {
            T value = json.readValue(body, type);
            if (value == null) {
                throw new KizunaException(ErrorCode.MALFORMED_JSON, "The request body is JSON null.");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw new KizunaException(ErrorCode.MALFORMED_JSON, "Unknown field '" + e.getPropertyName() + "'.");
        } catch (MismatchedInputException e) {
            throw new KizunaException(ErrorCode.MALFORMED_JSON, "Field '" + fieldPath(e) + "' has the wrong type.");
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof KizunaException invalid) {
                throw invalid;
            }
            throw new KizunaException(ErrorCode.MALFORMED_JSON, "The request body is not valid JSON.");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void send(ServerResponse response, Status status, Object body) {
        try {
            response.status(status);
            response.header(HeaderNames.CONTENT_TYPE, JSON);
            response.send(json.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write a response", e);
        }
    }

    public void ok(ServerResponse response, Object body) {
        send(response, Status.OK_200, body);
    }

    public static IdempotencyKey idempotencyKey(ServerRequest request) {
        return new IdempotencyKey(request.headers().first(IDEMPOTENCY_KEY).orElse(null));
    }

    public static Optional<String> query(ServerRequest request, String name) {
        return request.query().first(name).asOptional();
    }

    public static int intQuery(ServerRequest request, String name, int fallback) {
        Optional<String> value = query(request, name);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.get());
        } catch (NumberFormatException e) {
            throw KizunaException.invalid("Query parameter '" + name + "' must be a whole number.");
        }
    }

    private void requireJsonContentType(ServerRequest request) {
        String mediaType = mediaType(request);
        if (!mediaType.isEmpty()) {
            if (!mediaType.equals(JSON) && !mediaType.endsWith("+json")) {
                throw new KizunaException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                        "Send the body as application/json, not " + mediaType + ".");
            }
        }
    }

    /** The media type of the body, lower case and without parameters; empty when none was sent. */
    public static String mediaType(ServerRequest request) {
        return request.headers().first(HeaderNames.CONTENT_TYPE)
                .map(type -> type.split(";")[0].strip().toLowerCase(java.util.Locale.ROOT))
                .orElse("");
    }

    /** The raw body, refused with a 413 beyond {@code maxBytes}. */
    public static byte[] readBounded(ServerRequest request, int maxBytes) {
        OptionalLong declared = request.headers().contentLength();
        if (declared.isPresent() && declared.getAsLong() > maxBytes) {
            throw tooLarge(maxBytes);
        }
        try (InputStream in = request.content().inputStream()) {
            byte[] body = in.readNBytes(maxBytes + 1);
            if (body.length > maxBytes) {
                throw tooLarge(maxBytes);
            }
            return body;
        } catch (IOException e) {
            throw new KizunaException(ErrorCode.MALFORMED_JSON, "The request body could not be read.");
        }
    }

    private static KizunaException tooLarge(int maxBytes) {
        return new KizunaException(ErrorCode.PAYLOAD_TOO_LARGE,
                "A request body may be at most " + maxBytes + " bytes.");
    }

    /** Where in a JSON body a value has the wrong type, as {@code lines[2].quantity}. */
    public static String fieldPath(MismatchedInputException e) {
        return e.getPath().stream()
                .map(reference -> reference.getFieldName() != null
                        ? reference.getFieldName() : "[" + reference.getIndex() + "]")
                .reduce((left, right) -> right.startsWith("[") ? left + right : left + "." + right)
                .orElse("(body)");
    }
}
