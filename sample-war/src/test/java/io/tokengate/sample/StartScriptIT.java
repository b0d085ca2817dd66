package io.tokengate.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import org.jose4j.json.JsonUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.tokengate.servlet.it.PayaraProcess;
import io.tokengate.servlet.it.Wars;

/**
 * The sample started the way README's first command starts it (sample-war/start-sample.sh, after the build): its
 * H2 file and generated keys in the data folder survive a restart, so tokens issued before it stay valid, and so do
 * revocations of access tokens without a cluster cache; container errors are JSON. Beside it the resource server
 * (sample-resource-server on its own Payara Micro) trusts its tokens and learns its revocations from the feed;
 * stopping the script stops both.
 */
class StartScriptIT {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private SampleScript sample;

    @AfterEach
    void stop() throws Exception {
        if (sample != null) {
            sample.stop();
        }
    }

    private int resourcePort;

    private void start(Path data, int port) throws Exception {
        // no cluster cache: revocations live in this server's memory, and in the database across restarts
        sample = new SampleScript(data, port, Map.of("TOKENGATE_REVOCATION_REGISTRY", "memory",
                "RESOURCE_PORT", Integer.toString(resourcePort))).start("/public");
    }

    /** Waits (at most {@code millis}) until {@code path} of the resource server answers {@code status} to {@code token}. */
    private long untilResourceServerSays(int status, String path, String token, long millis) throws Exception {
        long from = System.nanoTime();
        while (true) {
            int now;
            try {
                now = get(resourcePort, path, token).statusCode();
            } catch (java.io.IOException e) {
                now = -1; // not listening yet
            }
            long took = (System.nanoTime() - from) / 1_000_000;
            if (now == status) {
                return took;
            }
            assertTrue(took < millis, path + " of the resource server still answers " + now + " after " + took + " ms");
            Thread.sleep(100);
        }
    }

    private HttpResponse<String> get(int port, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(int port, String path, String form) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("demo-client:demo-secret".getBytes()))
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> token(int port, String form) throws Exception {
        return post(port, "/oauth/token", form);
    }

    private String accessToken(int port, String user) throws Exception {
        HttpResponse<String> r = token(port, "grant_type=password&username=" + user + "&password=" + user + "-password");
        assertEquals(200, r.statusCode(), r.body());
        return (String) JsonUtil.parseJson(r.body()).get("access_token");
    }

    @Test
    void aRestartedSampleListensOnLoopbackOnlyAndKeepsItsKeysRefreshTokensAndRevocationsInTheDataFolder() throws Exception {
        Path work = Wars.freshWork("start-script");
        Path data = work.resolve("data");
        Files.createDirectories(data);
        int port = PayaraProcess.freePort();
        resourcePort = PayaraProcess.freePort();

        start(data, port);
        assertListensOnLoopbackOnly(data, port);
        assertTrue(sample.console().contains("TG-0401 revocations of / are kept in memory on this server only"), "no cluster cache here");
        HttpResponse<String> first = token(port, "grant_type=password&username=alice&password=alice-password");
        assertEquals(200, first.statusCode(), first.body());
        Map<String, Object> tokens = JsonUtil.parseJson(first.body());
        HttpResponse<String> wrongMethod = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/secret"))
                .POST(HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + tokens.get("access_token")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, wrongMethod.statusCode());
        assertEquals("invalid_request", JsonUtil.parseJson(wrongMethod.body()).get("error"), wrongMethod.body());
        HttpResponse<String> missing = get(port, "/no-such-page", null);
        assertEquals(404, missing.statusCode());
        assertEquals("not_found", JsonUtil.parseJson(missing.body()).get("error"), "a JSON error, not an HTML page: " + missing.body());

        String revokedAccessToken = accessToken(port, "alice");
        untilResourceServerSays(200, "/public", null, 120_000);
        assertEquals(401, get(resourcePort, "/secret", null).statusCode(), "the resource server wants a token");
        untilResourceServerSays(200, "/secret", revokedAccessToken, 10_000); // its keys fetched once the issuer is up
        assertEquals("Secret area", get(resourcePort, "/secret", revokedAccessToken).body().trim(), "a token of 8080 used at 8081");
        assertTrue(sample.console().contains("TG-0207 resource server started: trusting issuer http://localhost:" + port));
        assertEquals(200, post(port, "/oauth/revoke", "token_type_hint=access_token&token=" + revokedAccessToken).statusCode());
        assertEquals(401, get(port, "/secret", revokedAccessToken).statusCode());
        long took = untilResourceServerSays(401, "/secret", revokedAccessToken, 3_000);
        System.out.println("StartScriptIT: a revocation at the sample reached the resource server in " + took + " ms");
        String signedOutEverywhere = accessToken(port, "admin");
        assertEquals(200, get(resourcePort, "/secret", signedOutEverywhere).statusCode());
        HttpResponse<String> out = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/me/sign-out-everywhere"))
                .POST(HttpRequest.BodyPublishers.noBody()).header("Authorization", "Bearer " + signedOutEverywhere).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, out.statusCode(), out.body());
        assertEquals(401, get(port, "/secret", signedOutEverywhere).statusCode());
        untilResourceServerSays(401, "/secret", signedOutEverywhere, 3_000);
        sample.stop();
        assertThrows(java.io.IOException.class, () -> get(resourcePort, "/public", null), "stopping the script stopped the resource server too");

        assertTrue(Files.exists(data.resolve("tokengate-sample.mv.db")), "the H2 file is in the data folder");
        assertTrue(Files.exists(data.resolve("keys/tokengate-keys.jwks.json")), "the keys are beside it");
        start(data, port);
        assertEquals("Secret area", get(port, "/secret", (String) tokens.get("access_token")).body().trim(),
                "an access token from before the restart is still valid");
        assertEquals(401, get(port, "/secret", revokedAccessToken).statusCode(), "a revoked access token stays revoked across the restart");
        assertEquals(401, get(port, "/secret", signedOutEverywhere).statusCode(), "so does sign-out-everywhere");
        assertTrue(sample.console().contains("TG-1006"), "the restart says it enforced the kept revocations again");
        HttpResponse<String> refreshed = token(port, "grant_type=refresh_token&refresh_token=" + tokens.get("refresh_token"));
        assertEquals(200, refreshed.statusCode(), "a refresh token from before the restart still works: " + refreshed.body());
        assertListensOnLoopbackOnly(data, port);
    }

    /**
     * The sample has well-known passwords: its listener is bound to 127.0.0.1 when it first starts, never to every
     * address first and moved afterwards (a listener moved after boot is restarted while the application deploys,
     * and Payara can be left without one).
     */
    private static void assertListensOnLoopbackOnly(Path data, int port) throws Exception {
        String out = Files.readString(data.resolveSibling("start-sample.out"));
        assertTrue(out.contains("bound to [/127.0.0.1:" + port + "]"), "the listener is bound to 127.0.0.1:" + port);
        assertFalse(out.contains("0.0.0.0:" + port), "the listener was never bound to every address");
    }
}
