package io.tokengate.core.refresh;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import io.tokengate.core.event.TokenEvent;
import io.tokengate.core.revocation.RevocationRegistry;

/** Revocation by family (one device), subject (log out everywhere), client, or one access token: store, then cut. */
final class Revoker {
    private final RefreshTokenStore store;
    private final RevocationRegistry revocation;
    private final TokenEvents events;
    private final Clock clock;

    Revoker(RefreshTokenStore store, RevocationRegistry revocation, TokenEvents events, Clock clock) {
        this.store = store;
        this.revocation = revocation;
        this.events = events;
        this.clock = clock;
    }

    boolean revokeFamily(String familyId, String by) {
        Instant now = clock.instant();
        boolean changed = store.revokeFamily(familyId, now, "revoked");
        revocation.revokeFamily(familyId, now);
        if (changed) {
            events.emit(new TokenEvent.Revoked(now, by, TokenEvent.Target.FAMILY, familyId, List.of(familyId)));
        }
        return changed;
    }

    List<String> revokeSubject(String subject, String by) {
        Instant now = clock.instant();
        List<String> ids = store.revokeFamiliesOfSubject(subject, now, "subject_revoked");
        revocation.revokeSubject(subject, now);
        events.emit(new TokenEvent.Revoked(now, by, TokenEvent.Target.SUBJECT, subject, ids));
        return ids;
    }

    List<String> revokeClient(String clientId, String by) {
        Instant now = clock.instant();
        List<String> ids = store.revokeFamiliesOfClient(clientId, now, "client_revoked");
        for (String id : ids) {
            revocation.revokeFamily(id, now);
        }
        events.emit(new TokenEvent.Revoked(now, by, TokenEvent.Target.CLIENT, clientId, ids));
        return ids;
    }

    void revokeAccessToken(String jti, Instant expiresAt, String by) {
        revocation.revokeAccessToken(jti, expiresAt);
        events.emit(new TokenEvent.Revoked(clock.instant(), by, TokenEvent.Target.ACCESS_TOKEN, jti, List.of()));
    }
}
