package io.tokengate.core.support;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jose4j.json.JsonUtil;

/**
 * Builds tokens the way an attacker would: any header, any claims, signed with JCA directly (or not at all),
 * so no library refuses to produce what the validator must refuse.
 */
public final class Forge {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final Map<String, Object> header = new LinkedHashMap<>();
    private final Map<String, Object> claims = new LinkedHashMap<>();
    private String rawHeader;
    private String rawPayload;

    private Forge() {
    }

    /** Header and claims of a token TokenGate would accept, for the given key. */
    public static Forge validFor(String kid, String alg, String issuer, String audience, long nowSeconds) {
        Forge f = new Forge();
        f.header.put("alg", alg);
        f.header.put("typ", "at+jwt");
        f.header.put("kid", kid);
        f.claims.put("iss", issuer);
        f.claims.put("sub", "alice");
        f.claims.put("aud", audience);
        f.claims.put("exp", nowSeconds + 300);
        f.claims.put("iat", nowSeconds);
        f.claims.put("jti", "jti-" + System.nanoTime());
        f.claims.put("client_id", "demo-client");
        f.claims.put("scope", "read");
        return f;
    }

    public Forge header(String name, Object value) {
        if (value == null) {
            header.remove(name);
        } else {
            header.put(name, value);
        }
        return this;
    }

    public Forge claim(String name, Object value) {
        if (value == null) {
            claims.remove(name);
        } else {
            claims.put(name, value);
        }
        return this;
    }

    /** Uses this exact header JSON instead of the map. */
    public Forge rawHeader(String json) {
        this.rawHeader = json;
        return this;
    }

    /** Uses this exact payload JSON instead of the claims. */
    public Forge rawPayload(String json) {
        this.rawPayload = json;
        return this;
    }

    public String signingInput() {
        String h = rawHeader != null ? rawHeader : JsonUtil.toJson(header);
        String p = rawPayload != null ? rawPayload : JsonUtil.toJson(claims);
        return b64(h.getBytes(StandardCharsets.UTF_8)) + "." + b64(p.getBytes(StandardCharsets.UTF_8));
    }

    /** Signs with JCA: jwsAlg is RS256, PS256, ES256 or EdDSA. */
    public String sign(String jwsAlg, PrivateKey key) {
        String input = signingInput();
        return input + "." + b64(jcaSign(jwsAlg, key, input.getBytes(StandardCharsets.US_ASCII)));
    }

    /** An HMAC-SHA256 "signature" keyed with arbitrary bytes (e.g. a public key). */
    public String signHs256(byte[] secret) {
        String input = signingInput();
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return input + "." + b64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** With this exact signature part (base64url of the bytes). */
    public String withSignature(byte[] signature) {
        return signingInput() + "." + b64(signature);
    }

    public static String b64(byte[] bytes) {
        return B64.encodeToString(bytes);
    }

    public static byte[] jcaSign(String jwsAlg, PrivateKey key, byte[] data) {
        try {
            Signature s = jca(jwsAlg);
            s.initSign(key);
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JCA signature engine that computes the JWS signature format of an algorithm. */
    public static Signature jca(String jwsAlg) throws GeneralSecurityException {
        switch (jwsAlg) {
            case "RS256":
                return Signature.getInstance("SHA256withRSA");
            case "PS256":
                Signature pss = Signature.getInstance("RSASSA-PSS");
                pss.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
                return pss;
            case "ES256":
                return Signature.getInstance("SHA256withECDSAinP1363Format");
            case "EdDSA":
                return Signature.getInstance("Ed25519");
            default:
                throw new IllegalArgumentException(jwsAlg);
        }
    }
}
