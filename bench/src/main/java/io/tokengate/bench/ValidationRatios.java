package io.tokengate.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * {@link ValidationBenchmark} as ratios that hold on a shared, noisy machine: for each algorithm, TokenGate and raw
 * JCA are measured in alternation, several rounds, each round a fresh JVM, so a slow minute of the machine hits both
 * sides of a ratio instead of one. The headline ratio is TokenGate's median over the fastest raw JCA round, which a
 * slow raw round cannot flatter (some JVMs run the raw loop a quarter slower than others); the median of the
 * per-round ratios and their range follow. New tokens (cache off) take
 * {@code rounds} rounds (default 5); the reused token one. Each run: 3 × 1 s warm-up, 5 × 1 s measured.
 *
 * <p>With {@code -Dtokengate.bench.keys=remote} the validator holds a resource server's keys (the issuer's JWKS fetched
 * by {@code RemoteKeys}) instead of the issuer's own key ring.
 *
 * <pre>java [-Dtokengate.bench.keys=remote] -cp bench/target/benchmarks.jar io.tokengate.bench.ValidationRatios [rounds] [algorithm...]</pre>
 */
public final class ValidationRatios {
    private ValidationRatios() {
    }

    public static void main(String[] args) throws RunnerException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        List<String> algorithms = args.length > 1 ? Arrays.asList(args).subList(1, args.length) : List.of("RS256", "PS256", "ES256", "EdDSA");
        Map<String, String> lines = new LinkedHashMap<>();
        for (String algorithm : algorithms) {
            List<Double> ratios = new ArrayList<>();
            List<Double> tokenGate = new ArrayList<>();
            List<Double> raw = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                // alternate which side goes first, so a trend in the machine's speed cancels out
                boolean rawFirst = round % 2 == 0;
                double first = score(rawFirst ? "rawJcaUnique" : "tokenGateUnique", algorithm);
                double second = score(rawFirst ? "tokenGateUnique" : "rawJcaUnique", algorithm);
                double r = rawFirst ? first : second;
                double t = rawFirst ? second : first;
                raw.add(r);
                tokenGate.add(t);
                ratios.add(t / r);
                System.out.printf(Locale.ROOT, "%s round %d: new token %.0f ops/s, raw JCA %.0f ops/s, ratio %.3f%n", algorithm, round + 1, t, r,
                        t / r);
            }
            double reusedRaw = score("rawJcaReused", algorithm);
            double reused = score("tokenGateReused", algorithm);
            double fastestRaw = raw.stream().mapToDouble(Double::doubleValue).max().orElse(0);
            lines.put(algorithm, String.format(Locale.ROOT, "| %s | %,.0f | %,.0f | %,.0f | **%.2f** | %.2f (%s) | %,.0f | %,.0f | %,.0f |",
                    algorithm, median(tokenGate), median(raw), fastestRaw, median(tokenGate) / fastestRaw, median(ratios), range(ratios),
                    reused, reusedRaw, reused / reusedRaw));
        }
        System.out.println();
        System.out.println("| algorithm | TokenGate, new token (ops/s, median) | raw JCA verify (median) | raw JCA (fastest round) "
                + "| TokenGate / fastest raw | median of round ratios (range) | TokenGate, reused token | raw JCA verify | ratio |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        lines.values().forEach(System.out::println);
    }

    private static double score(String benchmark, String algorithm) throws RunnerException {
        Options options = new OptionsBuilder()
                .include(ValidationBenchmark.class.getName() + "." + benchmark + "$")
                .param("algorithm", algorithm)
                .param("keys", System.getProperty("tokengate.bench.keys", "local"))
                .forks(1)
                .warmupIterations(3).warmupTime(TimeValue.seconds(1))
                .measurementIterations(5).measurementTime(TimeValue.seconds(1))
                .verbosity(VerboseMode.SILENT)
                .build();
        RunResult result = new Runner(options).runSingle();
        return result.getPrimaryResult().getScore();
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static String range(List<Double> values) {
        return String.format(Locale.ROOT, "%.2f–%.2f", values.stream().mapToDouble(Double::doubleValue).min().orElse(0),
                values.stream().mapToDouble(Double::doubleValue).max().orElse(0));
    }
}
