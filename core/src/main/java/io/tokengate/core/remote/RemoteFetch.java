package io.tokengate.core.remote;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * A small document GET from another server whose URL comes from configuration, never from a token: HTTPS (plain HTTP
 * only to loopback), one deadline for the whole answer with its redirects, a size limit enforced while the body
 * streams, redirects followed within the same origin only (at most three). Used for an issuer's metadata, its JWKS
 * and its revocation feed. Thread-safe; every failure is an {@link IOException} with a reason for the log.
 */
public final class RemoteFetch {
    private static final int MAX_REDIRECTS = 3;
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    private final Duration timeout;
    private final int maxBytes;
    private final LongSupplier nanoTime;
    private final HttpClient http;

    /** What came back: 200 with a body, or 304 (the body empty). */
    public record Answer(int status, String body, HttpHeaders headers) {
    }

    /**
     * @param timeout  connect timeout and the time a whole answer may take, redirects included
     * @param maxBytes the largest body accepted
     * @param nanoTime the monotonic clock of the deadline
     */
    public RemoteFetch(Duration timeout, int maxBytes, LongSupplier nanoTime) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.maxBytes = maxBytes;
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public Duration timeout() {
        return timeout;
    }

    /**
     * HTTPS, or plain HTTP to a loopback host only (tests and development); a host, no user info, no fragment.
     *
     * @param what names the URL in the message ("the JWKS URL")
     * @throws IllegalArgumentException otherwise
     */
    public static URI checkedUri(URI uri, String what) {
        Objects.requireNonNull(uri, what);
        String scheme = scheme(uri);
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        if (host.isEmpty() || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(what + " needs a host and no user info or fragment: " + uri);
        }
        boolean loopback = host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]") || host.equals("::1");
        if (!scheme.equals("https") && !(scheme.equals("http") && loopback)) {
            throw new IllegalArgumentException(what + " must be https (plain http only to localhost): " + uri);
        }
        return uri;
    }

    /**
     * GETs {@code uri} with {@code headers}.
     *
     * @throws IOException for any status but 200 and 304, a body over the limit, a redirect to another origin, a
     *                     missed deadline or a network failure
     */
    public Answer get(URI uri, Map<String, String> headers) throws IOException {
        long deadline = nanoTime.getAsLong() + timeout.toNanos();
        URI at = uri;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            long left = deadline - nanoTime.getAsLong();
            if (left <= 0) {
                break;
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(at).timeout(Duration.ofNanos(left)).GET();
            headers.forEach(request::header);
            CompletableFuture<HttpResponse<byte[]>> call = http.sendAsync(request.build(), info -> new Limited(maxBytes));
            HttpResponse<byte[]> response;
            try {
                response = call.get(left, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                call.cancel(true);
                break;
            } catch (InterruptedException e) {
                call.cancel(true);
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            } catch (ExecutionException e) {
                throw new IOException(String.valueOf(e.getCause().getMessage()), e.getCause());
            }
            int status = response.statusCode();
            if (REDIRECTS.contains(status)) {
                String location = response.headers().firstValue("Location").orElseThrow(() -> new IOException(status + " without Location"));
                URI next;
                try {
                    next = at.resolve(location);
                } catch (IllegalArgumentException e) {
                    throw new IOException("a malformed redirect: " + e.getMessage());
                }
                if (!sameOrigin(uri, next)) {
                    throw new IOException("a redirect to another origin is not followed: " + next);
                }
                at = next;
                continue;
            }
            if (status != 200 && status != 304) {
                throw new IOException("HTTP " + status);
            }
            return new Answer(status, new String(response.body(), StandardCharsets.UTF_8), response.headers());
        }
        throw new IOException("no complete answer within " + timeout + " (or more than " + MAX_REDIRECTS + " redirects)");
    }

    private static boolean sameOrigin(URI a, URI b) {
        return scheme(a).equals(scheme(b)) && a.getHost() != null && b.getHost() != null
                && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static String scheme(URI u) {
        return u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    }

    private static int port(URI u) {
        return u.getPort() != -1 ? u.getPort() : "https".equals(scheme(u)) ? 443 : 80;
    }

    /** A response body of at most {@code max} bytes; a longer one is cut off and fails. */
    private static final class Limited implements HttpResponse.BodySubscriber<byte[]> {
        private final int max;
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private Flow.Subscription subscription;

        Limited(int max) {
            this.max = max;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer b : buffers) {
                if (bytes.size() + b.remaining() > max) {
                    subscription.cancel();
                    body.completeExceptionally(new IOException("the answer is larger than " + max + " bytes"));
                    return;
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                bytes.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable t) {
            body.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            body.complete(bytes.toByteArray());
        }
    }
}
