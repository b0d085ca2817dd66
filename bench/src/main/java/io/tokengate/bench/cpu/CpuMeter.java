package io.tokengate.bench.cpu;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CPU time used by groups of processes between two readings (user + system, from {@code /proc/<pid>/stat}), and by
 * this JVM itself: what a benchmark prints beside its rate, so the cost of one operation can be split between the
 * server, the database and the load generator.
 */
public final class CpuMeter {
    /** Clock ticks per second of {@code /proc/<pid>/stat} (USER_HZ): 100 on Linux on x86-64 and ARM. */
    private static final double TICKS_PER_SECOND = 100.0;

    private final Map<String, List<Long>> groups;
    private Map<String, Double> start;

    /** @param groups name → process ids, e.g. {@code server → [4711]}, {@code database → every postgres process} */
    public CpuMeter(Map<String, List<Long>> groups) {
        this.groups = new LinkedHashMap<>(groups);
    }

    /** Parses {@code name=pid,pid name=pid}; an empty or null string measures this JVM only. */
    public static CpuMeter parse(String spec) {
        Map<String, List<Long>> groups = new LinkedHashMap<>();
        if (spec != null) {
            for (String group : spec.trim().split("\\s+")) {
                int eq = group.indexOf('=');
                if (eq < 1) {
                    continue;
                }
                List<Long> pids = new ArrayList<>();
                for (String pid : group.substring(eq + 1).split(",")) {
                    if (!pid.isBlank()) {
                        pids.add(Long.parseLong(pid.trim()));
                    }
                }
                groups.put(group.substring(0, eq), pids);
            }
        }
        return new CpuMeter(groups);
    }

    /** The first reading. */
    public void start() {
        start = read();
    }

    /** CPU seconds of each group (and {@code load generator}: this JVM) since {@link #start()}. */
    public Map<String, Double> elapsed() {
        Map<String, Double> now = read();
        Map<String, Double> out = new LinkedHashMap<>();
        now.forEach((name, seconds) -> out.put(name, seconds - start.getOrDefault(name, 0.0)));
        return out;
    }

    /** {@code cpu ms per op: server 1.23, database 0.45, load generator 0.30, all 1.98} for {@code ops} operations. */
    public static String perOperation(Map<String, Double> seconds, long ops) {
        StringBuilder sb = new StringBuilder("cpu ms per op:");
        double all = 0;
        for (Map.Entry<String, Double> e : seconds.entrySet()) {
            double ms = ops == 0 ? 0 : e.getValue() * 1000 / ops;
            all += ms;
            sb.append(String.format(Locale.ROOT, " %s %.3f,", e.getKey(), ms));
        }
        return sb.append(String.format(Locale.ROOT, " all %.3f", all)).toString();
    }

    private Map<String, Double> read() {
        Map<String, Double> out = new LinkedHashMap<>();
        groups.forEach((name, pids) -> out.put(name, pids.stream().mapToDouble(CpuMeter::seconds).sum()));
        out.put("load generator", ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9);
        return out;
    }

    /** User + system seconds of one process; 0 once it is gone (its time is then lost: measure long-lived ones). */
    static double seconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND; // fields 14 and 15 of the line
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
