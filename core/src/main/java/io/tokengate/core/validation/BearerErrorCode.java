package io.tokengate.core.validation;

/**
 * The error codes of RFC 6750 §3.1 with the HTTP status each goes with. The HTTP edge (servlet filter,
 * authentication mechanism) turns them into {@code WWW-Authenticate: Bearer error="..."} responses.
 */
public enum BearerErrorCode {
    /** RFC 6750 §3.1: the request is malformed (e.g. two credentials). HTTP 400. */
    INVALID_REQUEST("invalid_request", 400),
    /** RFC 6750 §3.1: the token is expired, revoked, malformed or otherwise invalid. HTTP 401. */
    INVALID_TOKEN("invalid_token", 401),
    /** RFC 6750 §3.1: the token lacks a scope the resource requires. HTTP 403. */
    INSUFFICIENT_SCOPE("insufficient_scope", 403);

    private final String code;
    private final int httpStatus;

    BearerErrorCode(String code, int httpStatus) {
        this.code = code;
        this.httpStatus = httpStatus;
    }

    /** The value of the {@code error} attribute. */
    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
