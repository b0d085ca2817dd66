package io.tokengate.sample;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The sample started the way README's first command starts it: {@code sample-war/start-sample.sh} on the built WAR,
 * data in a folder of the test's, its console in {@code start-sample.out} beside it.
 */
final class SampleScript implements AutoCloseable {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Path data;
    private final int port;
    private final Map<String, String> environment;
    private Process server;

    /** Every answer the server gave while it started, as "status content-type body". */
    final List<String> answersWhileStarting = new ArrayList<>();

    SampleScript(Path data, int port, Map<String, String> environment) {
        this.data = data;
        this.port = port;
        this.environment = environment;
    }

    Path output() {
        return data.resolveSibling("start-sample.out");
    }

    /**
     * Starts it and waits (at most three minutes) until {@code readyPath} answers 200, asking every 100 ms and
     * noting every answer on the way.
     */
    SampleScript start(String readyPath) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", "start-sample.sh").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output().toFile()));
        pb.environment().put("PORT", Integer.toString(port));
        pb.environment().put("TOKENGATE_SAMPLE_DATA", data.toString());
        pb.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        pb.environment().put("RESOURCE_PORT", "none"); // the resource server beside it only for a test that asks for it
        pb.environment().putAll(environment);
        server = pb.start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (true) {
            assertTrue(server.isAlive(), "start-sample.sh exited; see " + output());
            try {
                // a request that reaches a server still starting may get no answer at all: never wait for one forever
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + readyPath))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                answersWhileStarting.add(r.statusCode() + " " + r.headers().firstValue("Content-Type").orElse("-") + " " + r.body());
                if (r.statusCode() == 200) {
                    return this;
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            assertTrue(System.nanoTime() < deadline, "the sample did not start within three minutes");
            Thread.sleep(100);
        }
    }

    /**
     * Waits (at most {@code millis}) until the resource server beside it, at {@code resourcePort}, accepts a token of
     * the sample's at {@code /secret}: it has started, fetched the sample's keys and read its revocation feed.
     */
    void untilResourceServerAccepts(int resourcePort, long millis) throws Exception {
        HttpResponse<String> grant = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/oauth/token"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("demo-client:demo-secret".getBytes()))
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&username=alice&password=alice-password")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(grant.statusCode() == 200, grant.body());
        String token = grant.body().replaceAll(".*\"access_token\":\"([^\"]*)\".*", "$1");
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            assertTrue(server.isAlive(), "start-sample.sh exited; see " + output());
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + resourcePort + "/secret"))
                        .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
                last = r.statusCode() + " " + r.body();
            } catch (java.io.IOException e) {
                last = e.toString(); // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the resource server did not accept a token of the sample within " + millis + " ms: " + last);
    }

    /** Stops it as Ctrl-C does (SIGTERM). */
    void stop() throws Exception {
        if (server != null && server.isAlive()) {
            server.destroy();
            assertTrue(server.waitFor(60, TimeUnit.SECONDS), "the server stops on SIGTERM");
        }
    }

    String console() throws java.io.IOException {
        return Files.readString(output());
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
