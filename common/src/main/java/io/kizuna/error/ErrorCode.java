package io.kizuna.error;

/**
 * Every error Kizuna reports, in one table: a stable code that clients may rely on, the HTTP status, and a title.
 * The code never changes once published; the detail of a particular failure goes into the exception's message.
 */
public enum ErrorCode {
    MALFORMED_JSON(400, "malformed_json", "The request body is not valid JSON of the expected shape"),
    MALFORMED_XML(400, "malformed_xml", "The request body is not well-formed, safe XML of the expected kind"),
    INVALID_REQUEST(400, "invalid_request", "The request is not valid"),
    INVALID_CARD_NUMBER(400, "invalid_card_number", "The card number is not a valid Kizuna card number"),
    CARD_CODE_INVALID(400, "card_code_invalid", "The rotating card code is not genuine"),
    CARD_CODE_EXPIRED(400, "card_code_expired", "The rotating card code has expired; show the app's current code"),
    IDEMPOTENCY_KEY_REQUIRED(400, "idempotency_key_required", "This command needs an Idempotency-Key header"),
    UNAUTHENTICATED(401, "unauthenticated", "Credentials are missing or not valid"),
    FORBIDDEN(403, "forbidden", "The caller's role does not allow this"),
    CARD_CHECK_FAILED(403, "card_check_failed", "The card's check does not match"),
    PASSWORD_MISMATCH(403, "password_mismatch", "The password is wrong"),
    NOT_FOUND(404, "not_found", "There is nothing at this address"),
    MEMBER_NOT_FOUND(404, "member_not_found", "No such member"),
    CARD_NOT_FOUND(404, "card_not_found", "No such card"),
    TRANSFER_NOT_FOUND(404, "transfer_not_found", "No such transfer"),
    RECEIPT_NOT_FOUND(404, "receipt_not_found", "No such receipt at this store"),
    HOLD_NOT_FOUND(404, "hold_not_found", "No open redemption hold has this id"),
    CREDENTIAL_NOT_FOUND(404, "credential_not_found", "No such staff credential"),
    METHOD_NOT_ALLOWED(405, "method_not_allowed", "This method is not allowed here"),
    ALREADY_EXISTS(409, "already_exists", "Something with this identity already exists"),
    IDEMPOTENCY_CONFLICT(409, "idempotency_conflict",
            "This Idempotency-Key was already used for a different request"),
    MEMBER_NOT_ACTIVE(409, "member_not_active", "The member is not active"),
    CARD_NOT_ACTIVE(409, "card_not_active", "The card is blocked"),
    CARD_ALREADY_REGISTERED(409, "card_already_registered", "The card already belongs to a member"),
    CARD_NOT_REGISTERED(409, "card_not_registered", "The card does not belong to a member"),
    INSUFFICIENT_POINTS(409, "insufficient_points", "The wallet does not hold enough available points"),
    PENDING_TRANSFER_RESOLVED(409, "pending_transfer_resolved",
            "The pending transfer was already posted, voided or expired"),
    HOLD_EXPIRED(409, "hold_expired", "The redemption hold timed out and its points went back"),
    TRANSFER_NOT_REVERSIBLE(409, "transfer_not_reversible", "This transfer cannot be reversed"),
    REVERSAL_EXCEEDS_ORIGINAL(409, "reversal_exceeds_original",
            "The reversal would reverse more than the original transfer moved"),
    RETURN_EXCEEDS_SALE(409, "return_exceeds_sale", "The return takes back more than the sale sold"),
    MERGE_NOT_ALLOWED(409, "merge_not_allowed", "These members cannot be merged"),
    CAMPAIGN_CONFLICT(409, "campaign_conflict",
            "The campaign's state does not allow this, or it would overlap another campaign"),
    OPEN_HOLDS(409, "open_holds", "The wallet has redemption holds in progress"),
    PAYLOAD_TOO_LARGE(413, "payload_too_large", "The request body is too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported_media_type", "The request body must be application/json"),
    TOO_MANY_ATTEMPTS(429, "too_many_attempts", "Too many failed attempts; wait before trying again"),
    CENTRAL_UNAVAILABLE(503, "central_unavailable", "The central Kizuna cannot be reached from this store"),
    DATABASE_UNAVAILABLE(503, "database_unavailable", "The database is not reachable; try again shortly"),
    INTERNAL_ERROR(500, "internal_error", "Something went wrong on our side");

    private final int status;
    private final String code;
    private final String title;

    ErrorCode(int status, String code, String title) {
        this.status = status;
        this.code = code;
        this.title = title;
    }

    /** The entry with this stable code, for answers that cross a process boundary. */
    public static java.util.Optional<ErrorCode> ofCode(String code) {
        return java.util.Arrays.stream(values()).filter(value -> value.code.equals(code)).findFirst();
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }
}
