package io.tokengate.core.authorize;

import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Authorization codes in the memory of one JVM, for tests and demos; {@link #redeem} is a compare-and-set on the entry. */
public final class InMemoryAuthorizationCodeStore implements AuthorizationCodeStore {
    /** A stored code, whether it was used, and the family its use issued. */
    private record Entry(AuthorizationCode code, boolean redeemed, String familyId) {
    }

    private final Map<String, Entry> codes = new ConcurrentHashMap<>();

    @Override
    public void save(AuthorizationCode code) {
        if (codes.putIfAbsent(code.codeHash(), new Entry(code, false, null)) != null) {
            throw new IllegalStateException("code already stored");
        }
    }

    @Override
    public CodeRedemption redeem(String codeHash, Instant now) {
        while (true) {
            Entry e = codes.get(codeHash);
            if (e == null) {
                return new CodeRedemption.Unknown();
            }
            if (e.redeemed()) {
                return new CodeRedemption.Replayed(e.code(), e.familyId());
            }
            if (!now.isBefore(e.code().expiresAt())) {
                return new CodeRedemption.Expired();
            }
            if (codes.replace(codeHash, e, new Entry(e.code(), true, null))) {
                return new CodeRedemption.Redeemed(e.code());
            }
        }
    }

    @Override
    public void recordFamily(String codeHash, String familyId) {
        codes.computeIfPresent(codeHash, (k, e) -> new Entry(e.code(), e.redeemed(), familyId));
    }

    @Override
    public int deleteExpired(Instant before, int batchSize) {
        int deleted = 0;
        for (Iterator<Map.Entry<String, Entry>> it = codes.entrySet().iterator(); it.hasNext() && deleted < batchSize; ) {
            if (it.next().getValue().code().expiresAt().isBefore(before)) {
                it.remove();
                deleted++;
            }
        }
        return deleted;
    }
}
