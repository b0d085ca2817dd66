package io.tokengate.core.keys;

import java.security.PrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jose4j.json.JsonUtil;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

/**
 * Reads and writes a key set as a JWK Set (RFC 7517 §5) whose keys carry two TokenGate members:
 * {@code tokengate_status} ({@code active}, {@code next} or {@code previous}) and, for previous keys,
 * {@code tokengate_verify_until} (seconds since the epoch). A JWK Set file without them is read too:
 * see {@link #read(String, String, String, SigningAlgorithm)}.
 */
final class KeySetJson {
    static final String STATUS = "tokengate_status";
    static final String VERIFY_UNTIL = "tokengate_verify_until";

    private KeySetJson() {
    }

    /** The whole key set with private parts, for the owner-only file of a managed key set. */
    static String writeWithPrivateKeys(KeySet set) {
        List<Object> keys = new ArrayList<>();
        set.next().ifPresent(k -> keys.add(entry(k, "next", null)));
        keys.add(entry(set.active(), "active", null));
        for (KeySet.PreviousKey p : set.previous()) {
            keys.add(entry(p.key(), "previous", p.verifyUntil().orElse(null)));
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("keys", keys);
        return JsonUtil.toJson(root);
    }

    private static Map<String, Object> entry(SigningKey key, String status, Instant verifyUntil) {
        Map<String, Object> params = new LinkedHashMap<>(key.toPrivateJwk().toParams(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE));
        params.put(STATUS, status);
        if (verifyUntil != null) {
            params.put(VERIFY_UNTIL, verifyUntil.getEpochSecond());
        }
        return params;
    }

    /**
     * Reads a JWK Set. Each key's role comes from its {@code tokengate_status}; failing that, the key whose
     * file {@code kid} or thumbprint equals {@code activeKid} is active (else the first key with a private
     * part), the one matching {@code nextKid} is next, and the rest are previous keys without an end date.
     * The algorithm is the key's {@code alg} member, else derived from the key type ({@code rsaAlgorithm}
     * for RSA keys).
     */
    static KeySet read(String json, String activeKid, String nextKid, SigningAlgorithm rsaAlgorithm) {
        Map<String, Object> root;
        try {
            root = JsonUtil.parseJson(json);
        } catch (JoseException | RuntimeException e) {
            throw new KeySetException("the JWK set is not valid JSON");
        }
        Object keysValue = root.get("keys");
        if (!(keysValue instanceof List)) {
            throw new KeySetException("the JWK set has no \"keys\" array");
        }
        SigningKey active = null;
        SigningKey next = null;
        List<KeySet.PreviousKey> previous = new ArrayList<>();
        List<Object[]> unassigned = new ArrayList<>(); // {fileKid, key}
        int index = 0;
        for (Object o : (List<?>) keysValue) {
            index++;
            if (!(o instanceof Map)) {
                throw new KeySetException("key #" + index + " of the JWK set is not a JSON object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> params = (Map<String, Object>) o;
            SigningKey key = toSigningKey(params, rsaAlgorithm, index);
            Object status = params.get(STATUS);
            String fileKid = params.get("kid") instanceof String ? (String) params.get("kid") : key.kid();
            if ("active".equals(status)) {
                if (active != null) {
                    throw new KeySetException("the JWK set has two active keys");
                }
                active = key;
            } else if ("next".equals(status)) {
                if (next != null) {
                    throw new KeySetException("the JWK set has two next keys");
                }
                next = key;
            } else if ("previous".equals(status)) {
                Object until = params.get(VERIFY_UNTIL);
                previous.add(new KeySet.PreviousKey(key, until instanceof Number ? Instant.ofEpochSecond(((Number) until).longValue()) : null));
            } else if (status == null) {
                unassigned.add(new Object[] {fileKid, key});
            } else {
                throw new KeySetException("key #" + index + " has an unknown " + STATUS + " '" + status + "'");
            }
        }
        if ((active != null && activeKid != null) || (next != null && nextKid != null)) {
            throw new KeySetException("the JWK set marks its keys with " + STATUS + "; do not also name the active or next kid");
        }
        for (Object[] u : unassigned) {
            SigningKey key = (SigningKey) u[1];
            if (matches(activeKid, u[0], key)) {
                active = key;
            } else if (matches(nextKid, u[0], key)) {
                next = key;
            }
        }
        if (active == null && activeKid == null) {
            for (Object[] u : unassigned) {
                SigningKey key = (SigningKey) u[1];
                if (key.canSign() && key != next) {
                    active = key;
                    break;
                }
            }
        }
        if (active == null) {
            throw activeKid == null ? new KeySetException(KeySetException.Fault.FILE, null, "the JWK set has no key with a private part to sign with")
                    : new KeySetException(KeySetException.Fault.ENTRY, activeKid, "the JWK set has no key with kid " + activeKid);
        }
        if (nextKid != null && next == null) {
            throw new KeySetException(KeySetException.Fault.ENTRY, nextKid, "the JWK set has no key with kid " + nextKid);
        }
        for (Object[] u : unassigned) {
            SigningKey key = (SigningKey) u[1];
            if (key != active && key != next) {
                previous.add(new KeySet.PreviousKey(key, null));
            }
        }
        return KeySet.of(active, next, previous);
    }

    private static boolean matches(String wanted, Object fileKid, SigningKey key) {
        return wanted != null && (wanted.equals(fileKid) || wanted.equals(key.kid()));
    }

    private static SigningKey toSigningKey(Map<String, Object> params, SigningAlgorithm rsaAlgorithm, int index) {
        JsonWebKey jwk;
        try {
            jwk = JsonWebKey.Factory.newJwk(new LinkedHashMap<>(params));
        } catch (JoseException | RuntimeException e) {
            throw new KeySetException("key #" + index + " of the JWK set is not a valid JWK");
        }
        if (!(jwk instanceof PublicJsonWebKey)) {
            throw new KeySetException("key #" + index + " of the JWK set is a symmetric key; TokenGate signs only with RSA, EC or Ed25519 keys");
        }
        PublicJsonWebKey pjwk = (PublicJsonWebKey) jwk;
        SigningAlgorithm algorithm = pjwk.getAlgorithm() != null
                ? SigningAlgorithm.fromJwsName(pjwk.getAlgorithm()).orElseThrow(() ->
                        new KeySetException("key #" + index + " has alg '" + pjwk.getAlgorithm() + "'; use one of RS256, PS256, ES256, EdDSA"))
                : SigningAlgorithm.forKey(pjwk.getPublicKey(), rsaAlgorithm);
        PrivateKey privateKey = pjwk.getPrivateKey();
        return privateKey == null ? SigningKey.verifyOnly(algorithm, pjwk.getPublicKey())
                : SigningKey.of(algorithm, pjwk.getPublicKey(), privateKey);
    }
}
