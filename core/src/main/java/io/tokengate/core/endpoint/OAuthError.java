package io.tokengate.core.endpoint;

/** The error codes of RFC 6749 §5.2 (and §4.1.2.1's temporarily_unavailable), RFC 7009 and their HTTP statuses. */
public enum OAuthError {
    INVALID_REQUEST("invalid_request", 400),
    /** Client authentication failed: 401 with {@code WWW-Authenticate}. */
    INVALID_CLIENT("invalid_client", 401),
    INVALID_GRANT("invalid_grant", 400),
    UNAUTHORIZED_CLIENT("unauthorized_client", 400),
    UNSUPPORTED_GRANT_TYPE("unsupported_grant_type", 400),
    INVALID_SCOPE("invalid_scope", 400),
    /** The store or identity store is down: 503, and nothing was changed. */
    TEMPORARILY_UNAVAILABLE("temporarily_unavailable", 503),
    SERVER_ERROR("server_error", 500);

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

    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
