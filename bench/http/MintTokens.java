import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;

import io.tokengate.core.keys.KeyRing;
import io.tokengate.core.keys.KeySet;
import io.tokengate.core.keys.KeySources;
import io.tokengate.core.keys.SigningAlgorithm;
import io.tokengate.core.keys.SigningKey;
import io.tokengate.core.token.AccessTokenIssuer;
import io.tokengate.core.token.AccessTokenRequest;

/**
 * Benchmark tooling only: writes COUNT different access tokens for alice (group user, client demo-client), signed with
 * the server's active key, one per line, valid for 50 minutes. TYPE at+jwt: TokenGate's own tokens, minted by its
 * AccessTokenIssuer exactly as the token endpoint does. TYPE JWT: the same claims, size and key with the header typ
 * "JWT", for Payara's MicroProfile JWT, which refuses signed tokens of any other typ (RFC 9068 access tokens are
 * "at+jwt"). Usage: java -cp core.jar:jose4j.jar:slf4j-api.jar MintTokens.java KEYS_FILE ISSUER COUNT TYPE OUT_FILE
 */
public class MintTokens {
    public static void main(String[] args) throws Exception {
        KeySet keys = KeySources.jwkSet(Path.of(args[0]), null, null, SigningAlgorithm.RS256);
        String issuer = args[1];
        int count = Integer.parseInt(args[2]);
        boolean tokenGate = args[3].equals("at+jwt");
        AccessTokenIssuer issuing = AccessTokenIssuer.builder().keyRing(new KeyRing(keys, Clock.systemUTC(), Duration.ofHours(1)))
                .issuer(issuer).audience(issuer).lifetime(Duration.ofMinutes(50)).build();
        try (BufferedWriter out = Files.newBufferedWriter(Path.of(args[4]), StandardCharsets.US_ASCII)) {
            for (int i = 0; i < count; i++) {
                out.write(tokenGate ? issuing.issue(AccessTokenRequest.builder("alice", "demo-client").groups(Set.of("user"))
                        .familyId(UUID.randomUUID().toString()).build()).value() : typJwt(keys.active(), issuer));
                out.newLine();
            }
        }
    }

    private static String typJwt(SigningKey key, String issuer) throws Exception {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setSubject("alice");
        claims.setAudience(issuer);
        claims.setIssuedAtToNow();
        claims.setExpirationTime(NumericDate.fromSeconds(NumericDate.now().getValue() + 3000));
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setClaim("client_id", "demo-client");
        claims.setClaim("sid", UUID.randomUUID().toString());
        claims.setStringListClaim("groups", List.of("user"));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setHeader("typ", "JWT");
        jws.setKeyIdHeaderValue(key.kid());
        jws.setAlgorithmHeaderValue(key.algorithm().name());
        jws.setKey(key.privateKey().orElseThrow());
        jws.setPayload(claims.toJson());
        return jws.getCompactSerialization();
    }
}
