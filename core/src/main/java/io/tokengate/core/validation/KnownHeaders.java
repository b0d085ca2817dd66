package io.tokengate.core.validation;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The parsed headers of the last few accepted tokens, by their base64url text: every token a key signs has the same
 * header, so it is decoded and parsed once. The header rules still run for every token.
 */
final class KnownHeaders {
    private static final int SIZE = 4;
    private final AtomicReferenceArray<KnownHeader> headers = new AtomicReferenceArray<>(SIZE);
    /** The slot the next new header goes to; racy on purpose, any slot will do. */
    private int next;

    private record KnownHeader(String segment, Map<String, Object> json) {
    }

    /** The parsed header of a token whose header part ends at {@code firstDot}, or null when it is not known. */
    Map<String, Object> find(String token, int firstDot) {
        for (int i = 0; i < SIZE; i++) {
            KnownHeader known = headers.get(i);
            if (known != null && known.segment().length() == firstDot && token.startsWith(known.segment())) {
                return known.json();
            }
        }
        return null;
    }

    /** Keeps the header of a token accepted whole (only those: forged headers never displace ours). */
    void remember(String token, int firstDot, Map<String, Object> header) {
        headers.set(next++ & (SIZE - 1), new KnownHeader(token.substring(0, firstDot), header));
    }
}
