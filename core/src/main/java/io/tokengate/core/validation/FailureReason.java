package io.tokengate.core.validation;

/**
 * Why an access token was refused: at the HTTP edge every reason is RFC 6750's {@code invalid_token}. The
 * description is safe to send to the client (it never echoes the token or names a key); the reason itself is for
 * logs and tests.
 */
public enum FailureReason {
    MALFORMED("The access token is malformed"),
    TOO_LONG("The access token is too long"),
    NOT_A_JWS("The access token must be a signed JWT (JWS), not encrypted or nested"),
    ALGORITHM_NOT_ALLOWED("The access token's signing algorithm is not accepted"),
    UNSUPPORTED_HEADER("The access token carries a header parameter that is not accepted"),
    UNKNOWN_KEY("The access token was not signed by a current key"),
    BAD_SIGNATURE("The access token's signature is invalid"),
    WRONG_TYPE("The token is not an access token (typ must be at+jwt)"),
    MISSING_CLAIM("The access token lacks a required claim"),
    EXPIRED("The access token expired"),
    NOT_YET_VALID("The access token is not valid yet"),
    ISSUED_IN_FUTURE("The access token was issued in the future"),
    WRONG_ISSUER("The access token has the wrong issuer"),
    WRONG_AUDIENCE("The access token is not meant for this resource"),
    LIFETIME_TOO_LONG("The access token's lifetime exceeds what this resource accepts"),
    REVOKED("The access token was revoked"),
    /** The revocation registry could not answer; the token is refused rather than accepted unchecked. */
    REVOCATION_UNAVAILABLE("Revocation could not be checked; try again later");

    private final String description;

    FailureReason(String description) {
        this.description = description;
    }

    /** A description safe for {@code error_description}. */
    public String description() {
        return description;
    }
}
