package io.tokengate.bench.refresh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A load of refresh grants from {@code --clients} threads, each with its own refresh tokens, each presenting the
 * successor it got (a rotation per request, as a real client does). Closed loop by default: a client sends its next
 * refresh as soon as the last one answered, which measures how many grants per second the server can give. With
 * {@code --rate}, an open loop: the clients together start {@code rate} refreshes per second on a fixed schedule and
 * each latency counts from when its request was due, so a server that falls behind shows it in the percentiles
 * instead of slowing the load down. After a warm-up it records every latency and prints requests/s and percentiles,
 * optionally a per-second timeline, and, given the server's log, the figures inside and outside the cleanup run the
 * log reports (TG-0402). The tokens file is rewritten with the tokens that are live afterwards, so runs can follow
 * each other.
 *
 * <pre>java -cp benchmarks.jar io.tokengate.bench.refresh.RefreshLoad tokenUrl tokensFile [--clients 32] [--seconds 20]
 *     [--warmup 3] [--rate perSecond] [--timeline file.csv] [--server-log payara.out] [--label text]</pre>
 */
public final class RefreshLoad {
    private static final String AUTHORIZATION = "Basic "
            + Base64.getEncoder().encodeToString("demo-client:demo-secret".getBytes(StandardCharsets.US_ASCII));
    private static final Pattern CLEANUP = Pattern.compile("TG-0402 cleanup deleted (\\d+) families, (\\d+) rotated-token records and \\d+ expired revocations in (\\d+) ms"
            + " \\(started (\\S+)\\)");

    private RefreshLoad() {
    }

    /** What one client thread saw: latencies (µs) and when each request ended (ms since the epoch). */
    private static final class Client extends Thread {
        private final URL url;
        private final ArrayDeque<String> tokens;
        private final long warmupEnd;
        private final long end;
        long[] latencies = new long[1 << 14];
        long[] ends = new long[1 << 14];
        int count;
        final AtomicLong failures;
        String lastFailure;
        int lastStatus;

        /** Nanoseconds between this client's requests in an open loop, 0 in a closed loop. */
        private final long interval;
        private long due;

        Client(URL url, List<String> tokens, long warmupEnd, long end, AtomicLong failures, long interval, long firstDue) {
            this.interval = interval;
            this.due = firstDue;
            this.url = url;
            this.tokens = new ArrayDeque<>(tokens);
            this.warmupEnd = warmupEnd;
            this.end = end;
            this.failures = failures;
            setDaemon(true);
        }

        @Override
        public void run() {
            while (true) {
                long start = System.nanoTime();
                if (interval > 0) {
                    while (start < due) { // wait for this request's turn; when behind, send at once
                        java.util.concurrent.locks.LockSupport.parkNanos(due - start);
                        start = System.nanoTime();
                    }
                    start = due; // the latency counts from when the request was due
                    due += interval;
                }
                if (start >= end || tokens.isEmpty()) {
                    return;
                }
                String token = tokens.poll();
                String next = null;
                boolean retry = true;
                try {
                    next = refresh(token);
                    retry = lastStatus >= 500;
                } catch (IOException e) {
                    lastFailure = e.toString();
                }
                long stop = System.nanoTime();
                if (next == null) {
                    failures.incrementAndGet();
                    if (retry) {
                        tokens.add(token); // the server failed closed: the presented token is still usable
                    }
                    continue;
                }
                tokens.add(next);
                if (start >= warmupEnd) {
                    if (count == latencies.length) {
                        latencies = Arrays.copyOf(latencies, count * 2);
                        ends = Arrays.copyOf(ends, count * 2);
                    }
                    latencies[count] = (stop - start) / 1000;
                    ends[count] = System.currentTimeMillis();
                    count++;
                }
            }
        }

        /** The successor, or null when the server refused. */
        private String refresh(String token) throws IOException {
            HttpURLConnection c = (HttpURLConnection) url.openConnection();
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.setConnectTimeout(5000);
            c.setReadTimeout(30000);
            c.setRequestProperty("Authorization", AUTHORIZATION);
            c.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
            byte[] body = ("grant_type=refresh_token&refresh_token=" + token).getBytes(StandardCharsets.US_ASCII);
            c.setFixedLengthStreamingMode(body.length);
            try (OutputStream out = c.getOutputStream()) {
                out.write(body);
            }
            int status = c.getResponseCode();
            lastStatus = status;
            String answer;
            try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
                answer = in == null ? "" : readAll(in);
            }
            if (status != 200) {
                lastFailure = status + " " + answer;
                return null;
            }
            int at = answer.indexOf("\"refresh_token\":\"");
            if (at < 0) {
                lastFailure = "no refresh_token in " + answer;
                return null;
            }
            int from = at + 17;
            return answer.substring(from, answer.indexOf('"', from));
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        in.transferTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: RefreshLoad tokenUrl tokensFile [--clients 32] [--seconds 20] [--warmup 3] [--rate perSecond]"
                    + " [--timeline file.csv] [--server-log file] [--label text] [--cpu 'server=pid database=pid,pid']");
            System.exit(2);
        }
        System.setProperty("http.maxConnections", "1024"); // keep every client's connection alive
        URL url = new URL(args[0]);
        Path tokensFile = Path.of(args[1]);
        java.util.Map<String, String> options = new java.util.HashMap<>();
        for (int i = 2; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        List<String> tokens = Files.readAllLines(tokensFile, StandardCharsets.US_ASCII);
        int clients = Integer.parseInt(options.getOrDefault("--clients", "32"));
        int seconds = Integer.parseInt(options.getOrDefault("--seconds", "20"));
        int warmup = Integer.parseInt(options.getOrDefault("--warmup", "3"));
        double rate = Double.parseDouble(options.getOrDefault("--rate", "0"));
        Path timeline = options.containsKey("--timeline") ? Path.of(options.get("--timeline")) : null;
        Path serverLog = options.containsKey("--server-log") ? Path.of(options.get("--server-log")) : null;
        String label = options.getOrDefault("--label", rate > 0 ? "refresh@" + (long) rate + "/s" : "refresh");
        int perClient = tokens.size() / clients;
        if (perClient < 2) {
            throw new IllegalArgumentException(tokens.size() + " tokens are too few for " + clients + " clients");
        }
        long now = System.nanoTime();
        long warmupEnd = now + warmup * 1_000_000_000L;
        long end = warmupEnd + seconds * 1_000_000_000L;
        long measuredFrom = System.currentTimeMillis() + warmup * 1000L;
        AtomicLong failures = new AtomicLong();
        List<Client> threads = new ArrayList<>();
        long interval = rate > 0 ? (long) (clients * 1e9 / rate) : 0;
        for (int i = 0; i < clients; i++) {
            threads.add(new Client(url, tokens.subList(i * perClient, (i + 1) * perClient), warmupEnd, end, failures, interval,
                    now + interval * i / clients));
        }
        io.tokengate.bench.cpu.CpuMeter cpu = io.tokengate.bench.cpu.CpuMeter.parse(options.get("--cpu"));
        threads.forEach(Thread::start);
        Thread.sleep(Math.max(0, (warmupEnd - System.nanoTime()) / 1_000_000));
        cpu.start(); // the measured window only, as the latencies
        for (Client t : threads) {
            t.join();
        }
        java.util.Map<String, Double> cpuSeconds = cpu.elapsed();
        long measuredTo = System.currentTimeMillis();
        // the file keeps the live tokens: the successors, and those no client took, for the next run
        List<String> live = new ArrayList<>();
        threads.forEach(t -> live.addAll(t.tokens));
        live.addAll(tokens.subList(clients * perClient, tokens.size()));
        Files.write(tokensFile, live, StandardCharsets.US_ASCII);

        int total = threads.stream().mapToInt(t -> t.count).sum();
        long[] all = new long[total];
        long[] allEnds = new long[total];
        int k = 0;
        for (Client t : threads) {
            System.arraycopy(t.latencies, 0, all, k, t.count);
            System.arraycopy(t.ends, 0, allEnds, k, t.count);
            k += t.count;
        }
        String failure = threads.stream().map(t -> t.lastFailure).filter(f -> f != null).findFirst().orElse("");
        System.out.println(summary(label, clients, all, (measuredTo - measuredFrom) / 1000.0) + " failures " + failures.get()
                + (failure.isEmpty() ? "" : " (last: " + failure.replace('\n', ' ') + ")") + "  "
                + io.tokengate.bench.cpu.CpuMeter.perOperation(cpuSeconds, total));
        if (timeline != null) {
            writeTimeline(timeline, all, allEnds, measuredFrom);
        }
        if (serverLog != null) {
            cleanupWindow(serverLog, clients, all, allEnds, measuredFrom, measuredTo);
        }
    }

    static String summary(String label, int clients, long[] latenciesMicros, double seconds) {
        long[] sorted = latenciesMicros.clone();
        Arrays.sort(sorted);
        return String.format(Locale.ROOT, "%-16s clients %3d  requests %7d  %8.1f req/s  p50 %7.2f ms  p90 %7.2f ms  p99 %7.2f ms  p99.9 %7.2f ms  max %7.2f ms",
                label, clients, sorted.length, sorted.length / seconds, pct(sorted, 50), pct(sorted, 90), pct(sorted, 99), pct(sorted, 99.9),
                sorted.length == 0 ? 0 : sorted[sorted.length - 1] / 1000.0);
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1000.0;
    }

    private static void writeTimeline(Path file, long[] latencies, long[] ends, long from) throws IOException {
        int buckets = (int) ((Arrays.stream(ends).max().orElse(from) - from) / 1000) + 1;
        List<List<Long>> perSecond = new ArrayList<>();
        for (int i = 0; i < buckets; i++) {
            perSecond.add(new ArrayList<>());
        }
        for (int i = 0; i < latencies.length; i++) {
            int b = (int) ((ends[i] - from) / 1000);
            if (b >= 0 && b < buckets) {
                perSecond.get(b).add(latencies[i]);
            }
        }
        StringBuilder sb = new StringBuilder("second,epoch_ms,requests,p50_ms,p99_ms\n");
        for (int i = 0; i < buckets; i++) {
            long[] s = perSecond.get(i).stream().mapToLong(Long::longValue).sorted().toArray();
            sb.append(i).append(',').append(from + i * 1000L).append(',').append(s.length).append(',')
                    .append(String.format(Locale.ROOT, "%.2f,%.2f", pct(s, 50), pct(s, 99))).append('\n');
        }
        Files.writeString(file, sb.toString());
    }

    /** Splits the measured requests at the cleanup run the server log reports, if one fell inside the measurement. */
    private static void cleanupWindow(Path log, int clients, long[] latencies, long[] ends, long from, long to) throws IOException {
        Matcher m = CLEANUP.matcher(Files.readString(log, StandardCharsets.UTF_8));
        while (m.find()) {
            long families = Long.parseLong(m.group(1));
            long millis = Long.parseLong(m.group(3));
            long start = Instant.parse(m.group(4)).toEpochMilli();
            long stop = start + millis;
            if (start < from || stop > to) {
                System.out.printf(Locale.ROOT, "cleanup of %d families (%d ms) ran outside the measured window%n", families, millis);
                continue;
            }
            List<Long> inside = new ArrayList<>();
            List<Long> outside = new ArrayList<>();
            for (int i = 0; i < latencies.length; i++) {
                (ends[i] >= start && ends[i] <= stop ? inside : outside).add(latencies[i]);
            }
            System.out.printf(Locale.ROOT, "cleanup deleted %d families and %s rotated-token records in %.1f s while refreshes went on%n",
                    families, m.group(2), millis / 1000.0);
            System.out.println(summary("during cleanup", clients, inside.stream().mapToLong(Long::longValue).toArray(), millis / 1000.0));
            System.out.println(summary("without cleanup", clients, outside.stream().mapToLong(Long::longValue).toArray(),
                    (to - from - millis) / 1000.0));
        }
    }
}
