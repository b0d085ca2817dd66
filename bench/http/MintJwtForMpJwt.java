import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;

import io.tokengate.core.keys.KeySet;
import io.tokengate.core.keys.KeySources;
import io.tokengate.core.keys.SigningAlgorithm;
import io.tokengate.core.keys.SigningKey;

/**
 * Benchmark tooling only: prints a token with the same claims, size and key as TokenGate's access token for alice,
 * but with the header typ "JWT", because Payara's MicroProfile JWT refuses signed tokens of any other typ (RFC 9068
 * access tokens are "at+jwt"). Usage: java -cp core.jar:jose4j.jar:slf4j-api.jar MintJwtForMpJwt.java KEYS_FILE ISSUER
 */
public class MintJwtForMpJwt {
    public static void main(String[] args) throws Exception {
        KeySet keys = KeySources.jwkSet(Path.of(args[0]), null, null, SigningAlgorithm.RS256);
        SigningKey key = keys.active();
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(args[1]);
        claims.setSubject("alice");
        claims.setAudience(args[1]);
        claims.setIssuedAtToNow();
        claims.setExpirationTime(NumericDate.fromSeconds(NumericDate.now().getValue() + 3000));
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setClaim("client_id", "demo-client");
        claims.setClaim("sid", "benchmark");
        claims.setStringListClaim("groups", List.of("user"));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setHeader("typ", "JWT");
        jws.setKeyIdHeaderValue(key.kid());
        jws.setAlgorithmHeaderValue(key.algorithm().name());
        jws.setKey(key.privateKey().orElseThrow());
        jws.setPayload(claims.toJson());
        System.out.println(jws.getCompactSerialization());
    }
}
