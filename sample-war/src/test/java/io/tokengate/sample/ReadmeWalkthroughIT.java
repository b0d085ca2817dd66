package io.tokengate.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tokengate.servlet.it.PayaraProcess;
import io.tokengate.servlet.it.Wars;

/**
 * Runs the README's curl walk-through (every {@code console} block of "The sample") with bash against the sample
 * and its resource server as {@code start-sample.sh} starts them, and compares each command's output with the README's, after replacing what differs from run to run
 * (tokens, key material, ids, instants) and the port. Keeps the README true.
 */
class ReadmeWalkthroughIT {
    static SampleScript sample;
    static int port;
    static int resourcePort;

    @BeforeAll
    static void startSample() throws Exception {
        Path data = Wars.freshWork("readme").resolve("data");
        Files.createDirectories(data);
        port = PayaraProcess.freePort();
        resourcePort = PayaraProcess.freePort();
        // as README's first command starts them: the sample and, beside it, the resource server that trusts it
        sample = new SampleScript(data, port, Map.of("TOKENGATE_REVOCATION_REGISTRY", "memory",
                "RESOURCE_PORT", Integer.toString(resourcePort))).start("/public");
        sample.untilResourceServerAccepts(resourcePort, 120_000);
    }

    @AfterAll
    static void stop() throws Exception {
        if (sample != null) {
            sample.stop();
        }
    }

    /** One "$ command" of the README and the lines it shows after it. */
    record Step(String command, String expected) {
    }

    static List<Step> steps() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        String section = readme.substring(readme.indexOf("## The sample"), readme.indexOf("\n## ", readme.indexOf("## The sample") + 5));
        List<Step> steps = new ArrayList<>();
        Matcher block = Pattern.compile("```console\n(.*?)```", Pattern.DOTALL).matcher(section);
        while (block.find()) {
            String command = null;
            StringBuilder output = new StringBuilder();
            for (String line : block.group(1).split("\n", -1)) {
                if (line.startsWith("$ ")) {
                    if (command != null) {
                        steps.add(new Step(command, output.toString()));
                    }
                    command = line.substring(2);
                    output.setLength(0);
                } else if (command != null) {
                    output.append(line).append('\n');
                }
            }
            if (command != null) {
                steps.add(new Step(command, output.toString()));
            }
        }
        return steps;
    }

    /** What may differ between runs, made equal. */
    static String normalize(String s) {
        return s.replaceAll("eyJ[A-Za-z0-9_.\\-…]+", "<jwt>")
                .replaceAll("\"(refresh_token|kid|n|jti|sid|cursor)\":\"[^\"]*\"", "\"$1\":\"<value>\"")
                .replaceAll("\"(iat|exp|nbf|until)\":\\d+", "\"$1\":<instant>")
                .replace("localhost:" + port, "localhost:8080")
                .replace("localhost:" + resourcePort, "localhost:8081")
                .replaceAll("(?m)[ \t]+$", "").replaceAll("\n+$", "").replace("\r", "");
    }

    @Test
    void theReadmesCurlWalkthroughPrintsWhatTheReadmeShows() throws Exception {
        List<Step> steps = steps();
        assertTrue(steps.size() >= 15, "the walk-through has its commands: " + steps.size());
        StringBuilder script = new StringBuilder();
        for (int i = 0; i < steps.size(); i++) {
            script.append("printf '\\n@@step ").append(i).append("@@\\n'\n")
                    .append(steps.get(i).command().replace("localhost:8080", "localhost:" + port)
                            .replace("localhost:8081", "localhost:" + resourcePort)).append('\n');
        }
        Process bash = new ProcessBuilder("bash", "-c", script.toString()).redirectErrorStream(true).start();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, bash.waitFor(), out);
        String[] outputs = out.split("\n?@@step \\d+@@\n", -1);
        assertEquals(steps.size() + 1, outputs.length, out);
        for (int i = 0; i < steps.size(); i++) {
            assertEquals(normalize(steps.get(i).expected()), normalize(outputs[i + 1]), "README step: $ " + steps.get(i).command());
        }
    }
}
