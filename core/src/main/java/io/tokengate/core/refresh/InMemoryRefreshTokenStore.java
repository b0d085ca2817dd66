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

import io.tokengate.core.keys.InMemoryKeySetStore;
import io.tokengate.core.keys.KeySetStore;
import io.tokengate.core.revocation.Revocation;

/**
 * A refresh-token store in the memory of one JVM, for tests and demos: everything is lost on restart and it is
 * not shared between servers. Writes are serialized by one lock, which makes {@link #rotate} a compare-and-set;
 * reads take no lock.
 */
public final class InMemoryRefreshTokenStore implements RefreshTokenStore {
    private final InMemoryKeySetStore keySets = new InMemoryKeySetStore();

    /** The shared key set of the servers that share this store (in one JVM: tests and demos). */
    @Override
    public KeySetStore keySets() {
        return keySets;
    }

    private final Map<String, RefreshTokenFamily> families = new ConcurrentHashMap<>();
    private final Map<String, RefreshTokenRecord> tokens = new ConcurrentHashMap<>();
    /** familyId → hashes of its tokens, for revocation and cleanup; guarded by {@code this}. */
    private final Map<String, List<String>> tokensOfFamily = new ConcurrentHashMap<>();
    /** kind|key → the cut. */
    private final Map<String, Revocation> revocations = new ConcurrentHashMap<>();

    @Override
    public synchronized void createFamily(RefreshTokenFamily family, RefreshTokenRecord firstToken) {
        if (families.containsKey(family.familyId()) || tokens.containsKey(firstToken.tokenHash())) {
            throw new IllegalStateException("family or token already stored");
        }
        families.put(family.familyId(), family);
        tokens.put(firstToken.tokenHash(), firstToken);
        List<String> list = new ArrayList<>();
        list.add(firstToken.tokenHash());
        tokensOfFamily.put(family.familyId(), list);
    }

    @Override
    public Optional<RefreshTokenRecord> findToken(String tokenHash) {
        return Optional.ofNullable(tokens.get(tokenHash));
    }

    @Override
    public Optional<RefreshTokenFamily> findFamily(String familyId) {
        return Optional.ofNullable(families.get(familyId));
    }

    @Override
    public synchronized RotationResult rotate(String presentedHash, RefreshTokenRecord successor, Instant now, Instant newIdleExpiresAt) {
        RefreshTokenRecord presented = tokens.get(presentedHash);
        if (presented == null) {
            return RotationResult.NOT_FOUND;
        }
        RefreshTokenFamily family = families.get(presented.familyId());
        if (presented.state() != TokenState.ACTIVE || family == null || family.state() != FamilyState.ACTIVE) {
            return RotationResult.NOT_ACTIVE;
        }
        // lock-free readers must never see a rotated token whose successor is not there yet:
        // successor and family first, the presented token's new state last
        tokens.put(successor.tokenHash(), successor);
        tokensOfFamily.get(family.familyId()).add(successor.tokenHash());
        families.put(family.familyId(), family.touched(now, newIdleExpiresAt));
        tokens.put(presentedHash, new RefreshTokenRecord(presentedHash, presented.secretId(), presented.familyId(),
                TokenState.ROTATED, presented.issuedAt(), now, successor.tokenHash()));
        return RotationResult.ROTATED;
    }

    @Override
    public synchronized boolean revokeFamily(String familyId, Instant now, String reason) {
        RefreshTokenFamily family = families.get(familyId);
        if (family == null || family.state() != FamilyState.ACTIVE) {
            return false;
        }
        // tokens first, then the family: a reader that sees the family active may still see active tokens,
        // never the reverse
        for (String hash : tokensOfFamily.getOrDefault(familyId, List.of())) {
            RefreshTokenRecord t = tokens.get(hash);
            if (t != null && t.state() == TokenState.ACTIVE) {
                tokens.put(hash, new RefreshTokenRecord(hash, t.secretId(), familyId, TokenState.REVOKED, t.issuedAt(), t.rotatedAt(),
                        t.successorHash()));
            }
        }
        families.put(familyId, family.revoked(now, reason));
        return true;
    }

    @Override
    public synchronized List<String> revokeFamiliesOfSubject(String subject, Instant now, String reason) {
        List<String> ids = new ArrayList<>();
        for (RefreshTokenFamily f : List.copyOf(families.values())) {
            if (f.subject().equals(subject) && revokeFamily(f.familyId(), now, reason)) {
                ids.add(f.familyId());
            }
        }
        return ids;
    }

    @Override
    public synchronized List<String> revokeFamiliesOfClient(String clientId, Instant now, String reason) {
        List<String> ids = new ArrayList<>();
        for (RefreshTokenFamily f : List.copyOf(families.values())) {
            if (f.clientId().equals(clientId) && revokeFamily(f.familyId(), now, reason)) {
                ids.add(f.familyId());
            }
        }
        return ids;
    }

    @Override
    public List<RefreshTokenFamily> familiesOfSubject(String subject) {
        List<RefreshTokenFamily> out = new ArrayList<>();
        for (RefreshTokenFamily f : families.values()) {
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
        for (Iterator<RefreshTokenFamily> it = families.values().iterator(); it.hasNext() && deleted < batchSize; ) {
            RefreshTokenFamily f = it.next();
            boolean expired = !now.isBefore(f.expiresAt());
            boolean longRevoked = f.state() == FamilyState.REVOKED && f.revokedAt() != null && f.revokedAt().isBefore(revokedBefore);
            if (expired || longRevoked) {
                it.remove();
                for (String hash : tokensOfFamily.getOrDefault(f.familyId(), List.of())) {
                    tokens.remove(hash);
                }
                tokensOfFamily.remove(f.familyId());
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
        for (RefreshTokenFamily f : families.values()) {
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

    @Override
    public synchronized int deleteRotatedTokens(Instant rotatedBefore, int batchSize) {
        int deleted = 0;
        for (Iterator<RefreshTokenRecord> it = tokens.values().iterator(); it.hasNext() && deleted < batchSize; ) {
            RefreshTokenRecord t = it.next();
            if (t.state() == TokenState.ROTATED && t.rotatedAt() != null && t.rotatedAt().isBefore(rotatedBefore)) {
                it.remove();
                List<String> ofFamily = tokensOfFamily.get(t.familyId());
                if (ofFamily != null) {
                    ofFamily.remove(t.tokenHash());
                }
                deleted++;
            }
        }
        return deleted;
    }

    /** Number of token records held (for tests). */
    public int tokenCount() {
        return tokens.size();
    }
}
