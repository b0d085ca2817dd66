package io.tokengate.core.validation;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

import io.tokengate.core.json.StrictJson;

/**
 * The compact JWS serialization (RFC 7515 §7.1), read strictly: three base64url parts in canonical form, and a part
 * decoded as the strict JSON object it must hold. Works on the token's Latin-1 bytes: every character of a token is
 * base64url or a dot, so anything else fails the shape.
 */
final class CompactJws {
    private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();
    /** The value of each base64url character (RFC 4648 §5), -1 for every other byte. */
    private static final byte[] SEXTET = new byte[256];

    static {
        Arrays.fill(SEXTET, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int i = 0; i < alphabet.length(); i++) {
            SEXTET[alphabet.charAt(i)] = (byte) i;
        }
    }

    private CompactJws() {
    }

    /**
     * Null for three base64url parts in canonical form (no padding, no whitespace, unused trailing bits zero, so one
     * token has exactly one spelling), else why not; four dots is a JWE.
     */
    static FailureReason checkShape(byte[] token) {
        int dots = 0;
        int segmentStart = 0;
        int n = token.length;
        for (int i = 0; i < n; i++) {
            byte c = token[i];
            if (c == '.') {
                dots++;
                if (!canonicalEnd(token, segmentStart, i)) {
                    return FailureReason.MALFORMED;
                }
                segmentStart = i + 1;
            } else if (SEXTET[c & 0xFF] < 0) {
                return FailureReason.MALFORMED;
            }
        }
        if (!canonicalEnd(token, segmentStart, n)) {
            return FailureReason.MALFORMED;
        }
        if (dots == 4) {
            return FailureReason.NOT_A_JWS;
        }
        if (dots != 2 || token[0] == '.') {
            return FailureReason.MALFORMED;
        }
        if (token[n - 1] == '.') {
            return FailureReason.BAD_SIGNATURE; // signature stripped or empty
        }
        return null;
    }

    /** A base64url segment of length 4k+1 is impossible; 4k+2 and 4k+3 must end in a character whose unused bits are zero. */
    private static boolean canonicalEnd(byte[] token, int start, int end) {
        int length = end - start;
        if (length == 0) {
            return true;
        }
        int last = SEXTET[token[end - 1] & 0xFF];
        switch (length & 3) {
            case 1:
                return false;
            case 2:
                return (last & 0x0F) == 0;
            case 3:
                return (last & 0x03) == 0;
            default:
                return true;
        }
    }

    /** The bytes of the signature part, the part after the second dot. */
    static ByteBuffer signature(byte[] token, int secondDot) {
        return BASE64URL.decode(ByteBuffer.wrap(token, secondDot + 1, token.length - secondDot - 1));
    }

    /** The part {@code [from, to)} of the token as the JSON object it must hold (UTF-8, strictly: no replacement characters). */
    static Map<String, Object> json(byte[] token, int from, int to) throws Refusal {
        ByteBuffer decoded = BASE64URL.decode(ByteBuffer.wrap(token, from, to - from));
        byte[] bytes = decoded.array();
        int offset = decoded.arrayOffset() + decoded.position();
        int length = decoded.remaining();
        boolean asciiOnly = true;
        for (int i = offset, end = offset + length; i < end; i++) {
            if (bytes[i] < 0) {
                asciiOnly = false;
                break;
            }
        }
        try {
            String text;
            if (asciiOnly) {
                text = new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
            } else {
                CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, offset, length));
                text = chars.toString();
            }
            return StrictJson.parseObject(text);
        } catch (CharacterCodingException | StrictJson.MalformedJson e) {
            throw new Refusal(FailureReason.MALFORMED);
        }
    }
}
