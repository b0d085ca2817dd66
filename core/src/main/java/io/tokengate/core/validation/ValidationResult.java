package io.tokengate.core.validation;

import java.util.Optional;

/**
 * The outcome of {@link AccessTokenValidator#validate(String)}: either {@link Valid} with the principal or
 * {@link Invalid} with the reason. Validation never throws for a bad token.
 */
public sealed interface ValidationResult permits ValidationResult.Valid, ValidationResult.Invalid {

    boolean isValid();

    /** The principal of a valid token. */
    Optional<AccessTokenPrincipal> principal();

    /** The reason a token was refused. */
    Optional<FailureReason> failure();

    record Valid(AccessTokenPrincipal token) implements ValidationResult {
        @Override
        public boolean isValid() {
            return true;
        }

        @Override
        public Optional<AccessTokenPrincipal> principal() {
            return Optional.of(token);
        }

        @Override
        public Optional<FailureReason> failure() {
            return Optional.empty();
        }
    }

    record Invalid(FailureReason reason) implements ValidationResult {
        @Override
        public boolean isValid() {
            return false;
        }

        @Override
        public Optional<AccessTokenPrincipal> principal() {
            return Optional.empty();
        }

        @Override
        public Optional<FailureReason> failure() {
            return Optional.of(reason);
        }

        /** Safe for {@code error_description}. */
        public String description() {
            return reason.description();
        }
    }
}
