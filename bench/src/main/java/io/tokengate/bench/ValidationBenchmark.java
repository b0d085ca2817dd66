package io.tokengate.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.tokengate.core.keys.KeyGenerator;
import io.tokengate.core.keys.KeyRing;
import io.tokengate.core.keys.KeySet;
import io.tokengate.core.keys.RemoteKeys;
import io.tokengate.core.keys.SigningAlgorithm;
import io.tokengate.core.keys.SigningKey;
import io.tokengate.core.revocation.InMemoryRevocationRegistry;
import io.tokengate.core.token.AccessTokenIssuer;
import io.tokengate.core.token.AccessTokenRequest;
import io.tokengate.core.validation.AccessTokenValidator;
import io.tokengate.core.validation.ValidationResult;

/**
 * Access-token validation per algorithm, beside the raw JCA {@code Signature.verify} of the same signatures
 * with the same key: the physical floor. "unique" cycles through 1024 different tokens with the verified-token
 * cache off (every token is new to the validator: parse and signature every time); "reused" validates one token
 * again and again with the cache on, as a client reusing its token until it expires. Report: TokenGate ops/s
 * divided by raw JCA ops/s, per algorithm and token mode.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class ValidationBenchmark {
    private static final int TOKENS = 1024;

    @Param({"RS256", "PS256", "ES256", "EdDSA"})
    public String algorithm;

    /**
     * Where the validator's keys come from: {@code local} (the issuer's own key ring) or {@code remote} (a resource
     * server's: the issuer's JWKS fetched by {@link RemoteKeys} over loopback at set-up, as {@code keys.source=issuer}).
     */
    @Param({"local"})
    public String keys;

    private HttpServer jwksServer;

    private AccessTokenValidator validator;
    private AccessTokenValidator cachingValidator;
    private String[] tokens;
    private byte[][] signingInputs;
    private byte[][] signatures;
    private SigningKey key;
    private Signature jca;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws GeneralSecurityException {
        SigningAlgorithm alg = SigningAlgorithm.parse(algorithm);
        key = KeyGenerator.generate(alg);
        Clock clock = Clock.systemUTC();
        KeyRing signing = new KeyRing(KeySet.of(key), clock, Duration.ofHours(2));
        AccessTokenIssuer issuer = AccessTokenIssuer.builder().keyRing(signing).issuer("https://auth.example.test")
                .audience("https://api.example.test").lifetime(Duration.ofHours(1)).build();
        KeyRing ring = "remote".equals(keys) ? remoteRing(signing, clock) : signing;
        InMemoryRevocationRegistry revocation = new InMemoryRevocationRegistry(clock, Duration.ofHours(1), Duration.ofSeconds(30));
        validator = AccessTokenValidator.builder().keyRing(ring).issuer("https://auth.example.test")
                .audience("https://api.example.test").revocationRegistry(revocation).verifiedTokenCacheSize(0).build();
        cachingValidator = AccessTokenValidator.builder().keyRing(ring).issuer("https://auth.example.test")
                .audience("https://api.example.test").revocationRegistry(revocation).build();
        tokens = new String[TOKENS];
        signingInputs = new byte[TOKENS][];
        signatures = new byte[TOKENS][];
        for (int i = 0; i < TOKENS; i++) {
            tokens[i] = issuer.issue(AccessTokenRequest.builder("user-" + i, "demo-client")
                    .scopes(List.of("read", "write")).groups(List.of("user")).build()).value();
            int dot = tokens[i].lastIndexOf('.');
            signingInputs[i] = tokens[i].substring(0, dot).getBytes(StandardCharsets.US_ASCII);
            signatures[i] = Base64.getUrlDecoder().decode(tokens[i].substring(dot + 1));
        }
        jca = alg.newSignature(); // the engine TokenGate itself verifies with
        if (!tokenGateUnique().isValid() || !rawJcaUnique()) {
            throw new IllegalStateException("benchmark set-up produced tokens that do not verify");
        }
    }

    /** The issuer's keys as a resource server holds them: its JWKS, served on loopback, fetched once by {@link RemoteKeys}. */
    private KeyRing remoteRing(KeyRing signing, Clock clock) {
        try {
            byte[] jwks = signing.current().toJwksJson(clock.instant()).getBytes(StandardCharsets.UTF_8);
            jwksServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            jwksServer.createContext("/jwks", exchange -> {
                exchange.getResponseHeaders().add("Cache-Control", "max-age=3600");
                exchange.sendResponseHeaders(200, jwks.length);
                exchange.getResponseBody().write(jwks);
                exchange.close();
            });
            jwksServer.start();
            RemoteKeys remote = RemoteKeys.builder(URI.create("http://127.0.0.1:" + jwksServer.getAddress().getPort() + "/jwks")).build();
            if (!remote.load()) {
                throw new IllegalStateException("the loopback JWKS was not fetched");
            }
            return remote.keyRing();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (jwksServer != null) {
            jwksServer.stop(0);
        }
    }

    private int nextIndex() {
        int i = next;
        next = (i + 1) & (TOKENS - 1);
        return i;
    }

    @Benchmark
    public ValidationResult tokenGateUnique() {
        return validator.validate(tokens[nextIndex()]);
    }

    @Benchmark
    public ValidationResult tokenGateReused() {
        return cachingValidator.validate(tokens[0]);
    }

    @Benchmark
    public boolean rawJcaUnique() throws GeneralSecurityException {
        int i = nextIndex();
        jca.initVerify(key.publicKey());
        jca.update(signingInputs[i]);
        return jca.verify(signatures[i]);
    }

    @Benchmark
    public boolean rawJcaReused() throws GeneralSecurityException {
        jca.initVerify(key.publicKey());
        jca.update(signingInputs[0]);
        return jca.verify(signatures[0]);
    }
}
