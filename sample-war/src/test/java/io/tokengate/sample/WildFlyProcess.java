package io.tokengate.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.tokengate.servlet.it.PayaraProcess;

/**
 * WildFly (the distribution from Maven Central, unpacked into target/wildfly by the build) in its own process, set up
 * as the README tells a WildFly user: TokenGate's {@code tokengate.cli} applied to the stopped server, the WAR dropped
 * into {@code standalone/deployments}, then {@code standalone.sh} bound to 127.0.0.1 with a port offset. Settings go
 * in as system properties (MicroProfile Config reads them).
 */
final class WildFlyProcess implements AutoCloseable {
    private final Path home = Path.of(System.getProperty("wildfly.home"));
    private final Path log;
    private final int port;
    private Process process;

    WildFlyProcess(Path log) throws IOException {
        this.log = log;
        this.port = freeOffsetPort();
    }

    int port() {
        return port;
    }

    /** A port P with P and P - 8080 + 9990 (the management port at the same offset) free. */
    private static int freeOffsetPort() throws IOException {
        for (int i = 0; i < 50; i++) {
            int p = PayaraProcess.freePort();
            if (p > 8080 && p - 8080 + 9990 < 65536 && free(p - 8080 + 9990)) {
                return p;
            }
        }
        throw new IOException("no free port pair for WildFly");
    }

    private static boolean free(int port) {
        try (java.net.ServerSocket s = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Applies tokengate.cli, deploys {@code war} as the root application and starts; returns once it is deployed. */
    WildFlyProcess start(Path war, List<String> systemProperties) throws Exception {
        if (!Files.isDirectory(home)) {
            throw new IllegalStateException("no WildFly at " + home + " (the build unpacks it in pre-integration-test)");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path cliLog = log.resolveSibling(log.getFileName() + ".cli");
        Process cli = new ProcessBuilder(home.resolve("bin/jboss-cli.sh").toString(), "--file=" + System.getProperty("wildfly.cli"))
                .redirectErrorStream(true).redirectOutput(cliLog.toFile()).start();
        if (!cli.waitFor(120, TimeUnit.SECONDS) || cli.exitValue() != 0) {
            throw new IllegalStateException("tokengate.cli failed: " + Files.readString(cliLog));
        }
        Path deployments = home.resolve("standalone/deployments");
        try (var old = Files.list(deployments)) {
            for (Path p : old.filter(p -> p.getFileName().toString().startsWith("ROOT.war")).toList()) {
                Files.delete(p);
            }
        }
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/standalone.sh").toString(), "-b", "127.0.0.1", "-bmanagement",
                "127.0.0.1", "-Djboss.socket.binding.port-offset=" + (port - 8080)));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("JAVA", java);
        builder.environment().put("JAVA_OPTS", "-Xmx768m -Djava.net.preferIPv4Stack=true " + String.join(" ", systemProperties));
        process = builder.start();
        Files.copy(war, deployments.resolve("ROOT.war"), StandardCopyOption.REPLACE_EXISTING);
        long deadline = System.currentTimeMillis() + 180_000;
        while (!Files.exists(deployments.resolve("ROOT.war.deployed"))) {
            if (Files.exists(deployments.resolve("ROOT.war.failed")) || !process.isAlive() || System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the sample did not deploy on WildFly; see " + log + ":\n" + tail());
            }
            Thread.sleep(250);
        }
        return this;
    }

    String log() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    private String tail() throws IOException {
        String all = log();
        return all.substring(Math.max(0, all.length() - 4000));
    }

    @Override
    public void close() throws Exception {
        if (process != null) {
            List<ProcessHandle> children = process.descendants().toList();
            process.destroy();
            for (ProcessHandle c : children) {
                c.destroy();
            }
            process.waitFor(30, TimeUnit.SECONDS);
            for (ProcessHandle c : children) {
                c.destroyForcibly();
            }
            process.destroyForcibly();
        }
    }
}
