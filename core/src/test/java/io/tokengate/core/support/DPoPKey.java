package io.tokengate.core.support;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.jose4j.json.JsonUtil;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.keys.EllipticCurves;

import io.tokengate.core.dpop.DPoPProofValidator;

/** A client's DPoP key (P-256) that signs proofs (RFC 9449 §4.2), as a client library would. */
public final class DPoPKey {
    private final PublicJsonWebKey key;

    public DPoPKey() {
        try {
            key = EcJwkGenerator.generateJwk(EllipticCurves.P256);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The RFC 7638 thumbprint: what tokens bound to this key carry as {@code cnf.jkt}. */
    public String jkt() {
        try {
            return key.calculateBase64urlEncodedThumbprint("SHA-256");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A fresh proof for {@code method} {@code uri} at {@code now}, with {@code ath} of {@code accessToken} when not null. */
    public String proof(String method, String uri, String accessToken, Instant now) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("htm", method);
        claims.put("htu", uri);
        claims.put("iat", now.getEpochSecond());
        if (accessToken != null) {
            claims.put("ath", DPoPProofValidator.accessTokenHash(accessToken));
        }
        try {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setHeader("typ", "dpop+jwt");
            jws.setAlgorithmHeaderValue("ES256");
            jws.setJwkHeader(key);
            jws.setPayload(JsonUtil.toJson(claims));
            jws.setKey(key.getPrivateKey());
            return jws.getCompactSerialization();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
