package io.tokengate.servlet.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Payara Micro server in its own process, started the way an operator would (java -jar payara-micro.jar
 * --deploy app.war), for tests that need several servers, a restart or a known port. It inherits this JVM's network
 * namespace (loopback only); clustered, its Hazelcast member binds to 127.0.0.1 and finds the others by TCP there.
 */
public final class PayaraProcess implements AutoCloseable {
    private final String name;
    private final List<String> command;
    private final int port;
    private final Path log;
    private Process process;

    /** A member of the Hazelcast cluster {@code clusterName} on loopback. */
    public PayaraProcess(String name, Path war, int port, String clusterName, Path workDir) throws IOException {
        this(name, war, port, workDir, "--clustername", clusterName, "--clustermode", "tcpip:127.0.0.1:5900,127.0.0.1:5901,127.0.0.1:5902",
                "--interfaces", "127.0.0.1", "--startport", "5900");
    }

    /** A server with the given extra Payara Micro options (e.g. {@code --nocluster}, {@code --contextroot /}). */
    public PayaraProcess(String name, Path war, int port, Path workDir, String... options) throws IOException {
        this.name = name;
        this.port = port;
        Files.createDirectories(workDir);
        this.log = workDir.resolve(name + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        command = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx512m",
                "-Dhazelcast.phone.home.enabled=false", "-jar", System.getProperty("payara.microJar"),
                "--deploy", war.toString(), "--port", Integer.toString(port), "--name", name,
                "--disablephonehome", "--logtofile", log.toString()));
        String preBoot = System.getProperty("payara.preBoot"); // the test servers' pre-boot commands (a short read timeout)
        if (preBoot != null && !List.of(options).contains("--prebootcommandfile")) {
            command.addAll(List.of("--prebootcommandfile", preBoot));
        }
        command.addAll(List.of(options));
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    /** Starts the server and waits until {@code readyPath} answers (any status below 500 but 404), up to three minutes. */
    public PayaraProcess start(String readyPath) throws Exception {
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.resolveSibling(name + ".out").toFile()).start();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                int status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + readyPath))
                                .timeout(Duration.ofSeconds(10)).build(), // a server still starting may never answer
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status != 404 && status < 500) { // Payara answers 500/503 while the application is still starting
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(name + " did not start within three minutes; see " + log);
    }

    /** Everything this server logged so far (all its log files). */
    public String log() throws IOException {
        StringBuilder out = new StringBuilder();
        try (var files = Files.list(log.getParent())) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith(name + ".log")).sorted().toList()) {
                out.append(Files.readString(p, StandardCharsets.UTF_8));
            }
        }
        return out.toString();
    }

    /** Stops it as an operator would (SIGTERM), forcibly after 60 s. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
