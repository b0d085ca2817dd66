package io.tokengate.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.jose4j.json.JsonUtil;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs {@code src/test/interop/interop.mjs}, a native app written with node's oauth4webapi (a strict third-party OAuth
 * client library, its version pinned in {@code package.json}), against a running sample, and returns the JSON line it
 * prints. Needs node 20 or later and npm (the library is installed into {@code target/interop}); without them the test
 * is skipped, or fails under {@code CI=true}.
 */
final class OAuth4WebApi {
    private static final Path SOURCES = Path.of("src/test/interop");
    private static final Path WORK = Path.of("target/interop");

    private OAuth4WebApi() {
    }

    static Map<String, Object> run(String base) throws Exception {
        requireOrSkip(exec(List.of("node", "--version"), 30).ok(), "node is not installed");
        Files.createDirectories(WORK);
        for (String file : List.of("package.json", "interop.mjs")) {
            Files.copy(SOURCES.resolve(file), WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        Result install = exec(List.of("npm", "install", "--no-package-lock", "--no-audit", "--no-fund", "--loglevel=error"), 300);
        requireOrSkip(install.ok(), "npm could not install oauth4webapi: " + install.output());
        Result run = exec(List.of("node", "interop.mjs", base), 120);
        Assertions.assertTrue(run.ok(), "the oauth4webapi client failed against the sample: " + run.output());
        String[] lines = run.output().strip().split("\n");
        return JsonUtil.parseJson(lines[lines.length - 1]);
    }

    private static void requireOrSkip(boolean ok, String why) {
        if (!ok && "true".equals(System.getenv("CI"))) {
            Assertions.fail(why + " (required under CI=true: node 20 or later with npm)");
        }
        Assumptions.assumeTrue(ok, why + ": interop test skipped");
    }

    private record Result(boolean ok, String output) {
    }

    private static Result exec(List<String> command, long timeoutSeconds) throws InterruptedException {
        try {
            Path log = Files.createTempFile("interop", ".log");
            Process p = new ProcessBuilder(command).directory(Files.isDirectory(WORK) ? WORK.toFile() : null).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            p.getOutputStream().close();
            boolean done = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!done) {
                p.destroyForcibly().waitFor();
            }
            String output = Files.readString(log) + (done ? "" : "\n(timed out after " + timeoutSeconds + " s)");
            Files.delete(log);
            return new Result(done && p.exitValue() == 0, output);
        } catch (IOException e) {
            return new Result(false, e.toString());
        }
    }
}
