package io.tokengate.core.refresh;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.tokengate.core.authorize.AuthorizationCodeStore;
import io.tokengate.core.authorize.InMemoryAuthorizationCodeStore;
import io.tokengate.core.keys.InMemoryKeySetStore;
import io.tokengate.core.keys.KeySetStore;
import io.tokengate.core.revocation.Revocation;

/**
 * A refresh-token store in the memory of one JVM, for tests and demos: everything is lost on restart and it is
 * not shared between servers. Each family is one entry, its live token with it. Writes are serialized by one lock,
 * which makes {@link #advance} a compare-and-set; reads take no lock.
 */
public final class InMemoryRefreshTokenStore implements RefreshTokenStore {
    private final InMemoryKeySetStore keySets = new InMemoryKeySetStore();
    private final InMemoryAuthorizationCodeStore codes = new InMemoryAuthorizationCodeStore();

    /** The authorization codes of the servers that share this store (in one JVM: tests and demos). */
    @Override
    public AuthorizationCodeStore authorizationCodes() {
        return codes;
    }

    /** The shared key set of the servers that share this store (in one JVM: tests and demos). */
    @Override
    public KeySetStore keySets() {
        return keySets;
    }

    /** familyId → the family and its live token, replaced whole on every change. */
    private final Map<String, FamilyAndToken> families = new ConcurrentHashMap<>();
    /** kind|key → the cut. */
    private final Map<String, Revocation> revocations = new ConcurrentHashMap<>();

    @Override
    public synchronized void createFamily(RefreshTokenFamily family, CurrentToken firstToken) {
        if (families.containsKey(family.familyId())) {
            throw new IllegalStateException("family already stored");
        }
        families.put(family.familyId(), new FamilyAndToken(family, firstToken));
    }

    @Override
    public Optional<RefreshTokenFamily> findFamily(String familyId) {
        return findFamilyAndToken(familyId).map(FamilyAndToken::family);
    }

    @Override
    public Optional<FamilyAndToken> findFamilyAndToken(String familyId) {
        return Optional.ofNullable(families.get(familyId));
    }

    @Override
    public synchronized RotationResult advance(String familyId, long generation, CurrentToken successor, Instant now, Instant newIdleExpiresAt) {
        FamilyAndToken f = families.get(familyId);
        if (f == null) {
            return RotationResult.NOT_FOUND;
        }
        if (f.family().state() != FamilyState.ACTIVE || f.token() == null || f.token().generation() != generation) {
            return RotationResult.NOT_ACTIVE;
        }
        families.put(familyId, new FamilyAndToken(f.family().touched(now, newIdleExpiresAt), successor));
        return RotationResult.ROTATED;
    }

    @Override
    public synchronized boolean revokeFamily(String familyId, Instant now, String reason) {
        FamilyAndToken f = families.get(familyId);
        if (f == null || f.family().state() != FamilyState.ACTIVE) {
            return false;
        }
        families.put(familyId, new FamilyAndToken(f.family().revoked(now, reason), f.token()));
        return true;
    }

    @Override
    public synchronized List<String> revokeFamiliesOfSubject(String subject, Instant now, String reason) {
        List<String> ids = new ArrayList<>();
        for (RefreshTokenFamily f : families()) {
            if (f.subject().equals(subject) && revokeFamily(f.familyId(), now, reason)) {
                ids.add(f.familyId());
            }
        }
        return ids;
    }

    @Override
    public synchronized List<String> revokeFamiliesOfClient(String clientId, Instant now, String reason) {
        List<String> ids = new ArrayList<>();
        for (RefreshTokenFamily f : families()) {
            if (f.clientId().equals(clientId) && revokeFamily(f.familyId(), now, reason)) {
                ids.add(f.familyId());
            }
        }
        return ids;
    }

    @Override
    public List<RefreshTokenFamily> familiesOfSubject(String subject) {
        List<RefreshTokenFamily> out = new ArrayList<>();
        for (RefreshTokenFamily f : families()) {
            if (f.subject().equals(subject)) {
                out.add(f);
            }
        }
        out.sort(Comparator.comparing(RefreshTokenFamily::createdAt).reversed());
        return out;
    }

    @Override
    public synchronized int deleteExpired(Instant now, Instant revokedBefore, int batchSize) {
        int deleted = 0;
        for (Iterator<FamilyAndToken> it = families.values().iterator(); it.hasNext() && deleted < batchSize; ) {
            RefreshTokenFamily f = it.next().family();
            boolean expired = !now.isBefore(f.expiresAt());
            boolean longRevoked = f.state() == FamilyState.REVOKED && f.revokedAt() != null && f.revokedAt().isBefore(revokedBefore);
            if (expired || longRevoked) {
                it.remove();
                deleted++;
            }
        }
        return deleted;
    }

    @Override
    public void saveRevocation(Revocation revocation) {
        revocations.merge(revocation.kind() + "|" + revocation.key(), revocation, (a, b) -> b.at().isAfter(a.at()) ? b : a);
    }

    @Override
    public List<Revocation> liveRevocations(Instant now, Duration notBeforeLife) {
        List<Revocation> out = new ArrayList<>(revocations.values().stream().filter(r -> r.dropAt().isAfter(now)).toList());
        for (RefreshTokenFamily f : families()) {
            if (f.state() == FamilyState.REVOKED && f.revokedAt() != null && f.revokedAt().plus(notBeforeLife).isAfter(now)) {
                out.add(new Revocation(Revocation.Kind.FAMILY, f.familyId(), f.revokedAt(), f.revokedAt().plus(notBeforeLife)));
            }
        }
        return out;
    }

    @Override
    public int deleteExpiredRevocations(Instant now, int batchSize) {
        int deleted = 0;
        for (Map.Entry<String, Revocation> e : revocations.entrySet()) {
            if (deleted >= batchSize) {
                break;
            }
            // remove(key, value): a cut renewed meanwhile is another value and stays
            if (!e.getValue().dropAt().isAfter(now) && revocations.remove(e.getKey(), e.getValue())) {
                deleted++;
            }
        }
        return deleted;
    }

    private List<RefreshTokenFamily> families() {
        return families.values().stream().map(FamilyAndToken::family).toList();
    }

    /** Number of families held (for tests). */
    public int familyCount() {
        return families.size();
    }
}
