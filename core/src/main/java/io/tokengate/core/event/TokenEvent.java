package io.tokengate.core.event;

import java.time.Instant;
import java.util.List;

/**
 * What happened to tokens, for audit and alerting. Never carries a token value.
 */
public sealed interface TokenEvent permits TokenEvent.Issued, TokenEvent.Refreshed, TokenEvent.ReuseDetected,
        TokenEvent.Revoked, TokenEvent.CleanedUp {

    Instant at();

    /** A grant issued tokens; {@code familyId} is null when no refresh token was issued. */
    record Issued(Instant at, String grantType, String clientId, String subject, String familyId, String remoteAddress)
            implements TokenEvent {
    }

    /** A refresh rotated a family's token; {@code retry} when a retried refresh got the same successor again. */
    record Refreshed(Instant at, String clientId, String subject, String familyId, String remoteAddress, boolean retry)
            implements TokenEvent {
    }

    /** A rotated refresh token came back outside the retry window: the family was revoked. */
    record ReuseDetected(Instant at, String familyId, String clientId, String subject, String remoteAddress)
            implements TokenEvent {
    }

    /** What a revocation targeted. */
    enum Target { ACCESS_TOKEN, FAMILY, SUBJECT, CLIENT }

    /**
     * Tokens were revoked.
     *
     * @param by         who asked: a client id, or the actor named by the host application (e.g. an admin)
     * @param target     what kind of thing was revoked
     * @param targetId   its id: a jti, family id, subject or client id
     * @param familyIds  the families revoked by it (empty for an access token)
     */
    record Revoked(Instant at, String by, Target target, String targetId, List<String> familyIds) implements TokenEvent {
        public Revoked {
            familyIds = List.copyOf(familyIds);
        }
    }

    /** A cleanup batch deleted expired or long-revoked families, records of long-rotated tokens and revocations of expired tokens. */
    record CleanedUp(Instant at, int families, int rotatedTokens, int revocations) implements TokenEvent {
    }
}
