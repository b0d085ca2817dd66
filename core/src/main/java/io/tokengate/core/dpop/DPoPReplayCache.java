package io.tokengate.core.dpop;

import java.time.Instant;

/**
 * Remembers the DPoP proofs already used (RFC 9449 §11.1): a proof's {@code jti}, scoped to its key, may be used once
 * while its {@code iat} is inside the acceptance window. Implementations: in memory ({@link InMemoryDPoPReplayCache}),
 * and shared by the servers of a cluster where their proofs may reach any of them.
 */
public interface DPoPReplayCache {

    /**
     * Records {@code key} until {@code forgetAfter}; true if it was not recorded yet (first use), false for a replay.
     * Atomic: of two concurrent calls with one key, exactly one returns true. A cache that cannot record (full of live
     * entries) returns false: refusing a proof is safe, accepting a replay is not.
     */
    boolean firstUse(String key, Instant forgetAfter);
}
