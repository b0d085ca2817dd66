package io.tokengate.core.endpoint;

/**
 * Every error code TokenGate answers with, and its HTTP status: RFC 6749 §5.2 and §4.1.2.1, RFC 6750 §3.1, RFC 7009,
 * and the codes of the application's JSON error pages. The only place these strings are written;
 * {@link OAuthErrors} makes the answers.
 */
public enum OAuthError {
    /** RFC 6749 §5.2, RFC 6750 §3.1: a missing, repeated or malformed parameter or header. */
    INVALID_REQUEST("invalid_request", 400),
    /** RFC 6749 §5.2: client authentication failed; 401 with the client-authentication challenge. */
    INVALID_CLIENT("invalid_client", 401),
    INVALID_GRANT("invalid_grant", 400),
    UNAUTHORIZED_CLIENT("unauthorized_client", 400),
    UNSUPPORTED_GRANT_TYPE("unsupported_grant_type", 400),
    INVALID_SCOPE("invalid_scope", 400),
    /** RFC 6749 §4.1.2.1: the authorization endpoint issues only {@code code}. */
    UNSUPPORTED_RESPONSE_TYPE("unsupported_response_type", 400),
    /** RFC 9449 §12.3: a missing, invalid or replayed DPoP proof. */
    INVALID_DPOP_PROOF("invalid_dpop_proof", 400),
    /** RFC 9449 §8: the proof lacks the server's current nonce, which the answer's {@code DPoP-Nonce} carries. */
    USE_DPOP_NONCE("use_dpop_nonce", 400),
    /** RFC 6749 §4.1.2.1; also the error page of a caller the container refuses (403). */
    ACCESS_DENIED("access_denied", 403),
    /** The store or the identity store is down: 503, nothing was changed, try again after {@link #RETRY_AFTER_SECONDS}. */
    TEMPORARILY_UNAVAILABLE("temporarily_unavailable", 503),
    SERVER_ERROR("server_error", 500),
    /** RFC 6750 §3.1: the access token is expired, revoked, malformed or otherwise invalid. */
    INVALID_TOKEN("invalid_token", 401),
    /** RFC 6750 §3.1: the token lacks a scope the resource requires. */
    INSUFFICIENT_SCOPE("insufficient_scope", 403),
    /** The error page of a request the container wants authenticated (not an RFC 6750 answer, which has no code). */
    UNAUTHORIZED("unauthorized", 401),
    /** The error page of a path nothing serves. */
    NOT_FOUND("not_found", 404);

    /**
     * The {@code Retry-After} of a 503 {@code temporarily_unavailable}, in seconds: also how often a store that
     * started without its database tries to open.
     */
    public static final int RETRY_AFTER_SECONDS = 5;

    private final String code;
    private final int httpStatus;

    OAuthError(String code, int httpStatus) {
        this.code = code;
        this.httpStatus = httpStatus;
    }

    /** The value of {@code error}. */
    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
