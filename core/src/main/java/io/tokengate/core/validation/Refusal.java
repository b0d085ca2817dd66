package io.tokengate.core.validation;

/** Why a token is refused, carried out of the checks; no stack trace, so hostile input stays cheap. */
final class Refusal extends Exception {
    private static final long serialVersionUID = 1L;
    final FailureReason reason;

    Refusal(FailureReason reason) {
        super(reason.name(), null, false, false);
        this.reason = reason;
    }
}
