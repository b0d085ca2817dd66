package io.tokengate.core.support;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.tokengate.core.refresh.InMemoryRefreshTokenStore;
import io.tokengate.core.refresh.RefreshTokenFamily;
import io.tokengate.core.refresh.CurrentToken;
import io.tokengate.core.refresh.RefreshTokenStore;
import io.tokengate.core.refresh.RotationResult;
import io.tokengate.core.refresh.StoreUnavailableException;

/**
 * An in-memory store whose named methods fail (as a database that went away) while listed in {@link #failing},
 * and which can run a hook right after a successful rotation (to interleave another request).
 */
public class FaultyStore implements RefreshTokenStore {
    public final InMemoryRefreshTokenStore delegate = new InMemoryRefreshTokenStore();
    public final Set<String> failing = ConcurrentHashMap.newKeySet();
    public volatile Runnable afterRotate = () -> { };

    private void check(String method) {
        if (failing.contains(method) || failing.contains("*")) {
            throw new StoreUnavailableException(method + ": connection refused", new java.net.ConnectException("refused"));
        }
    }

    @Override
    public void createFamily(RefreshTokenFamily family, CurrentToken firstToken) {
        check("createFamily");
        delegate.createFamily(family, firstToken);
    }

    @Override
    public Optional<FamilyAndToken> findFamilyAndToken(String familyId) {
        check("findFamilyAndToken");
        return delegate.findFamilyAndToken(familyId);
    }

    @Override
    public Optional<RefreshTokenFamily> findFamily(String familyId) {
        check("findFamily");
        return delegate.findFamily(familyId);
    }

    @Override
    public RotationResult advance(String familyId, long generation, CurrentToken successor, Instant now, Instant newIdleExpiresAt) {
        check("advance");
        RotationResult r = delegate.advance(familyId, generation, successor, now, newIdleExpiresAt);
        if (r == RotationResult.ROTATED) {
            afterRotate.run();
        }
        return r;
    }

    @Override
    public boolean revokeFamily(String familyId, Instant now, String reason) {
        check("revokeFamily");
        return delegate.revokeFamily(familyId, now, reason);
    }

    @Override
    public List<String> revokeFamiliesOfSubject(String subject, Instant now, String reason) {
        check("revokeFamiliesOfSubject");
        return delegate.revokeFamiliesOfSubject(subject, now, reason);
    }

    @Override
    public List<String> revokeFamiliesOfClient(String clientId, Instant now, String reason) {
        check("revokeFamiliesOfClient");
        return delegate.revokeFamiliesOfClient(clientId, now, reason);
    }

    @Override
    public List<RefreshTokenFamily> familiesOfSubject(String subject) {
        check("familiesOfSubject");
        return delegate.familiesOfSubject(subject);
    }

    @Override
    public int deleteExpired(Instant now, Instant revokedBefore, int batchSize) {
        check("deleteExpired");
        return delegate.deleteExpired(now, revokedBefore, batchSize);
    }

    @Override
    public void saveRevocation(io.tokengate.core.revocation.Revocation revocation) {
        check("saveRevocation");
        delegate.saveRevocation(revocation);
    }

    @Override
    public java.util.List<io.tokengate.core.revocation.Revocation> liveRevocations(Instant now, java.time.Duration notBeforeLife) {
        check("liveRevocations");
        return delegate.liveRevocations(now, notBeforeLife);
    }

    @Override
    public int deleteExpiredRevocations(Instant now, int batchSize) {
        check("deleteExpiredRevocations");
        return delegate.deleteExpiredRevocations(now, batchSize);
    }

    /** The cut-offs the cleanup asked for (this store keeps no token rows of an earlier version: it deletes none). */
    public final List<Instant> rotatedTokenCutOffs = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public int deleteRotatedTokens(Instant rotatedBefore, int batchSize) {
        check("deleteRotatedTokens");
        rotatedTokenCutOffs.add(rotatedBefore);
        return 0;
    }
}
