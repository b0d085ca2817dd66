package io.tokengate.bench.feed;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The issuer's cost of its resource servers: {@code --servers} simulated resource servers, each on its own keep-alive
 * connection, read the revocation feed every {@code --interval-ms} as a real one does (its last cursor, and
 * {@code If-None-Match} with the last ETag), staggered over the interval; optionally, revocations at
 * {@code --revoke-rate} per second go on at the same time (refresh tokens issued before the measurement, revoked at
 * the revocation endpoint, so each one is a new cut in the feed). Over {@code --seconds} it counts the bytes on the
 * wire both ways (every byte written and read on the feed connections) and the issuer's CPU time from
 * {@code /proc/<pid>/stat}. With {@code --servers 0} it measures the issuer without pollers (the baseline to
 * subtract).
 *
 * <pre>java -cp benchmarks.jar io.tokengate.bench.feed.FeedLoad baseUrl --pid serverPid [--servers 100]
 *     [--seconds 30] [--interval-ms 1000] [--revoke-rate 0] [--label text]</pre>
 */
public final class FeedLoad {
    private static final String FEED_CLIENT = "Basic "
            + Base64.getEncoder().encodeToString("demo-resource-server:demo-resource-server-secret".getBytes(StandardCharsets.US_ASCII));
    private static final String TOKEN_CLIENT = "Basic "
            + Base64.getEncoder().encodeToString("demo-client:demo-secret".getBytes(StandardCharsets.US_ASCII));
    private static final Pattern CURSOR = Pattern.compile("\"cursor\":\"([^\"]+)\"");
    private static final Pattern REFRESH = Pattern.compile("\"refresh_token\":\"([^\"]+)\"");
    private static final int CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

    private FeedLoad() {
    }

    /** One answer read off the wire: its status, its body, and how many bytes it took. */
    record Answer(int status, String body, long bytes) {
    }

    /** A minimal HTTP/1.1 client on one kept-alive socket, counting every byte it writes and reads. */
    static final class Connection implements AutoCloseable {
        private final String host;
        private final int port;
        private Socket socket;
        private InputStream in;
        private OutputStream out;
        long written;
        long read;

        Connection(String host, int port) {
            this.host = host;
            this.port = port;
        }

        Answer get(String pathAndQuery, String... headers) throws IOException {
            if (socket == null) {
                socket = new Socket();
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress(host, port), 5_000);
                socket.setSoTimeout(10_000);
                in = new BufferedInputStream(socket.getInputStream());
                out = socket.getOutputStream();
            }
            StringBuilder request = new StringBuilder("GET ").append(pathAndQuery).append(" HTTP/1.1\r\nHost: ")
                    .append(host).append(':').append(port).append("\r\n");
            for (int i = 0; i < headers.length; i += 2) {
                request.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
            }
            byte[] bytes = request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
            out.write(bytes);
            out.flush();
            written += bytes.length;
            long before = read;
            String head = readHead();
            int status = Integer.parseInt(head.substring(9, 12));
            String lower = head.toLowerCase(Locale.ROOT);
            byte[] body;
            Matcher length = Pattern.compile("\r\ncontent-length: *(\\d+)").matcher(lower);
            if (length.find()) {
                body = readExactly(Integer.parseInt(length.group(1)));
            } else if (lower.contains("\r\ntransfer-encoding: chunked")) {
                body = readChunked();
            } else {
                body = new byte[0];
            }
            if (lower.contains("\r\nconnection: close")) {
                close();
            }
            return new Answer(status, new String(body, StandardCharsets.UTF_8), read - before);
        }

        private int next() throws IOException {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed");
            }
            read++;
            return b;
        }

        private String readHead() throws IOException {
            StringBuilder head = new StringBuilder();
            while (!(head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n"))) {
                head.append((char) next());
            }
            return head.toString();
        }

        private String readLine() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int b = next(); b != '\n'; b = next()) {
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }

        private byte[] readExactly(int n) throws IOException {
            byte[] b = in.readNBytes(n);
            if (b.length < n) {
                throw new IOException("short body");
            }
            read += n;
            return b;
        }

        private byte[] readChunked() throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                int size = Integer.parseInt(readLine().trim().split(";")[0], 16);
                if (size == 0) {
                    while (!readLine().isEmpty()) {
                        // trailers
                    }
                    return body.toByteArray();
                }
                body.write(readExactly(size));
                readLine();
            }
        }

        @Override
        public void close() throws IOException {
            if (socket != null) {
                socket.close();
                socket = null;
            }
        }
    }

    /** One simulated resource server: reads the feed every interval, from its last cursor, conditionally. */
    static final class Poller extends Thread {
        private final Connection connection;
        private final String path;
        private final long firstDue;
        private final long intervalNanos;
        private final long end;
        String cursor;
        long polls;
        long notModified;
        long failures;
        String lastFailure;
        long[] latencies = new long[4096];

        Poller(int index, String host, int port, String path, long start, long intervalNanos, int servers, long end) {
            super("poller-" + index);
            setDaemon(true);
            this.connection = new Connection(host, port);
            this.path = path;
            this.intervalNanos = intervalNanos;
            this.firstDue = start + intervalNanos * index / servers;
            this.end = end;
        }

        /** The first read: the whole live feed, as a resource server reads it before it accepts a token. */
        void prime() throws IOException {
            Answer a = connection.get(path, "Authorization", FEED_CLIENT);
            if (a.status() != 200) {
                throw new IOException("the feed answered " + a.status() + ": " + a.body());
            }
            cursor = cursorOf(a.body());
            connection.written = 0;
            connection.read = 0;
        }

        @Override
        public void run() {
            for (long due = firstDue; due < end; due += intervalNanos) {
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    sleepNanos(wait);
                }
                long from = System.nanoTime();
                try {
                    Answer a = connection.get(path + "?cursor=" + cursor, "Authorization", FEED_CLIENT, "If-None-Match", '"' + cursor + '"');
                    if (a.status() == 304) {
                        notModified++;
                    } else if (a.status() == 200) {
                        cursor = cursorOf(a.body());
                    } else {
                        failures++;
                        lastFailure = a.status() + " " + a.body();
                    }
                } catch (IOException e) {
                    failures++;
                    lastFailure = e.toString();
                    try {
                        connection.close();
                    } catch (IOException ignored) {
                        // reconnects on the next poll
                    }
                }
                if (polls == latencies.length) {
                    latencies = Arrays.copyOf(latencies, latencies.length * 2);
                }
                latencies[(int) polls++] = (System.nanoTime() - from) / 1_000;
            }
        }
    }

    /** Revokes the refresh tokens it was given at a fixed rate: each one a family revoked, a new cut in the feed. */
    static final class Revoker extends Thread {
        private final URI revokeUri;
        private final List<String> tokens;
        private final long start;
        private final long intervalNanos;
        private final long end;
        final AtomicLong revoked = new AtomicLong();
        String lastFailure;

        Revoker(URI revokeUri, List<String> tokens, long start, int perSecond, long end) {
            super("revoker");
            setDaemon(true);
            this.revokeUri = revokeUri;
            this.tokens = tokens;
            this.start = start;
            this.intervalNanos = 1_000_000_000L / perSecond;
            this.end = end;
        }

        @Override
        public void run() {
            long due = start;
            for (String token : tokens) {
                if (due >= end) {
                    return;
                }
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    sleepNanos(wait);
                }
                try {
                    if (post(revokeUri, "token=" + token + "&token_type_hint=refresh_token").status() == 200) {
                        revoked.incrementAndGet();
                    }
                } catch (IOException e) {
                    lastFailure = e.toString();
                }
                due += intervalNanos;
            }
        }
    }

    static String cursorOf(String body) throws IOException {
        Matcher m = CURSOR.matcher(body);
        if (!m.find()) {
            throw new IOException("no cursor in " + body);
        }
        return m.group(1);
    }

    static Answer post(URI uri, String form) throws IOException {
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setConnectTimeout(5_000);
        c.setReadTimeout(30_000);
        c.setRequestProperty("Authorization", TOKEN_CLIENT);
        c.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
        try (OutputStream o = c.getOutputStream()) {
            o.write(form.getBytes(StandardCharsets.US_ASCII));
        }
        int status = c.getResponseCode();
        try (InputStream i = status < 400 ? c.getInputStream() : c.getErrorStream()) {
            return new Answer(status, i == null ? "" : new String(i.readAllBytes(), StandardCharsets.UTF_8), 0);
        }
    }

    static void sleepNanos(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** User plus system CPU time of a process so far, in milliseconds. */
    static long cpuMillis(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // after "pid (comm) ": state is field 3, utime 14, stime 15 (1-based in proc(5))
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1000 / CLOCK_TICKS_PER_SECOND;
    }

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0].endsWith("/") ? args[0].substring(0, args[0].length() - 1) : args[0]);
        long pid = -1;
        int servers = 100;
        int seconds = 30;
        long intervalMillis = 1000;
        int revokeRate = 0;
        String label = "";
        for (int i = 1; i < args.length; i += 2) {
            switch (args[i]) {
                case "--pid" -> pid = Long.parseLong(args[i + 1]);
                case "--servers" -> servers = Integer.parseInt(args[i + 1]);
                case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
                case "--interval-ms" -> intervalMillis = Long.parseLong(args[i + 1]);
                case "--revoke-rate" -> revokeRate = Integer.parseInt(args[i + 1]);
                case "--label" -> label = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (pid < 0) {
            throw new IllegalArgumentException("--pid of the issuer's JVM is required (its CPU time is read from /proc)");
        }
        String feedPath = base.getPath() + "/oauth/revocation-feed";
        List<String> refreshTokens = new ArrayList<>();
        for (int i = 0; i < revokeRate * seconds; i++) {
            Answer grant = post(base.resolve(base.getPath() + "/oauth/token"), "grant_type=password&username=alice&password=alice-password");
            Matcher m = REFRESH.matcher(grant.body());
            if (grant.status() != 200 || !m.find()) {
                throw new IOException("password grant: " + grant.status() + " " + grant.body());
            }
            refreshTokens.add(m.group(1));
        }
        long intervalNanos = intervalMillis * 1_000_000;
        long start = System.nanoTime() + 2_000_000_000L;
        long end = start + seconds * 1_000_000_000L;
        List<Poller> pollers = new ArrayList<>();
        for (int i = 0; i < servers; i++) {
            Poller p = new Poller(i, base.getHost(), base.getPort(), feedPath, start, intervalNanos, servers, end);
            p.prime();
            pollers.add(p);
        }
        Revoker revoker = revokeRate > 0 ? new Revoker(base.resolve(base.getPath() + "/oauth/revoke"), refreshTokens, start, revokeRate, end) : null;
        pollers.forEach(Thread::start);
        if (revoker != null) {
            revoker.start();
        }
        sleepNanos(start - System.nanoTime());
        long cpuBefore = cpuMillis(pid);
        long wallBefore = System.nanoTime();
        sleepNanos(end - System.nanoTime());
        long cpuAfter = cpuMillis(pid);
        double wall = (System.nanoTime() - wallBefore) / 1e9;
        for (Poller p : pollers) {
            p.join(15_000);
        }
        if (revoker != null) {
            revoker.join(15_000);
        }

        long polls = 0;
        long notModified = 0;
        long failures = 0;
        long written = 0;
        long read = 0;
        String lastFailure = null;
        List<Long> all = new ArrayList<>();
        for (Poller p : pollers) {
            polls += p.polls;
            notModified += p.notModified;
            failures += p.failures;
            written += p.connection.written;
            read += p.connection.read;
            lastFailure = p.lastFailure != null ? p.lastFailure : lastFailure;
            for (int i = 0; i < p.polls; i++) {
                all.add(p.latencies[i]);
            }
            p.connection.close();
        }
        all.sort(null);
        System.out.printf(Locale.ROOT,
                "%s servers=%d interval=%dms revocations=%d/s (%d done) | polls %.1f/s, 304 %.1f%%, failed %d | wire %.0f B/s in (to the issuer) + %.0f B/s out"
                        + " (%.0f B per poll) | poll p50 %.2f ms p99 %.2f ms | issuer CPU %.1f ms/s (%.1f%% of one core)%n",
                label, servers, intervalMillis, revokeRate, revoker == null ? 0 : revoker.revoked.get(), polls / wall,
                polls == 0 ? 0.0 : 100.0 * notModified / polls, failures, written / wall, read / wall,
                polls == 0 ? 0.0 : (double) (written + read) / polls, percentile(all, 0.50) / 1000.0, percentile(all, 0.99) / 1000.0,
                (cpuAfter - cpuBefore) / wall, (cpuAfter - cpuBefore) / wall / 10.0);
        if (lastFailure != null) {
            System.out.println("last failure: " + lastFailure);
        }
        if (revoker != null && revoker.lastFailure != null) {
            System.out.println("last revocation failure: " + revoker.lastFailure);
        }
    }

    private static long percentile(List<Long> sorted, double p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }
}
