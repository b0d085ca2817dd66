package io.tokengate.core.endpoint;

/** A request refused with an RFC 6749 §5.2 error; the description is safe to send to the client. */
public final class OAuthException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final OAuthError error;

    public OAuthException(OAuthError error, String description) {
        super(description, null, false, false);
        this.error = error;
    }

    public OAuthError error() {
        return error;
    }

    public String description() {
        return getMessage();
    }
}
