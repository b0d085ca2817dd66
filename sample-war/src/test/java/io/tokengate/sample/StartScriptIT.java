package io.tokengate.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.concurrent.TimeUnit;

import org.jose4j.json.JsonUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.tokengate.servlet.it.PayaraProcess;
import io.tokengate.servlet.it.Wars;

/**
 * The sample started the way README's first command starts it (sample-war/start-sample.sh, after the build): its
 * H2 file and generated keys in the data folder survive a restart, so tokens issued before it stay valid; container
 * errors are JSON.
 */
class StartScriptIT {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process server;

    @AfterEach
    void stop() throws Exception {
        stopServer();
    }

    private void stopServer() throws Exception {
        if (server != null && server.isAlive()) {
            server.destroy(); // SIGTERM, as Ctrl-C's shutdown
            assertTrue(server.waitFor(60, TimeUnit.SECONDS), "the server stops on SIGTERM");
        }
    }

    private void start(Path data, int port) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", "start-sample.sh").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolveSibling("start-sample.out").toFile()));
        pb.environment().put("PORT", Integer.toString(port));
        pb.environment().put("TOKENGATE_SAMPLE_DATA", data.toString());
        pb.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        server = pb.start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (true) {
            assertTrue(server.isAlive(), "start-sample.sh exited; see " + data.resolveSibling("start-sample.out"));
            try {
                if (get(port, "/public", null).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not up yet
            }
            assertTrue(System.nanoTime() < deadline, "the sample did not start within three minutes");
            Thread.sleep(250);
        }
    }

    private HttpResponse<String> get(int port, String path, String token) throws Exception {
        // a request that reaches a server still starting may get no answer at all: never wait for one forever
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> token(int port, String form) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/oauth/token")).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("demo-client:demo-secret".getBytes()))
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRestartedSampleListensOnLoopbackOnlyAndKeepsItsKeysAndRefreshTokensInTheDataFolder() throws Exception {
        Path work = Wars.freshWork("start-script");
        Path data = work.resolve("data");
        Files.createDirectories(data);
        int port = PayaraProcess.freePort();

        start(data, port);
        assertListensOnLoopbackOnly(data, port);
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
        stopServer();

        assertTrue(Files.exists(data.resolve("tokengate-sample.mv.db")), "the H2 file is in the data folder");
        assertTrue(Files.exists(data.resolve("keys/tokengate-keys.jwks.json")), "the keys are beside it");
        start(data, port);
        assertEquals("Secret area", get(port, "/secret", (String) tokens.get("access_token")).body().trim(),
                "an access token from before the restart is still valid");
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
