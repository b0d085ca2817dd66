package io.tokengate.core.resource;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;

import io.tokengate.core.json.StrictJson;
import io.tokengate.core.keys.RemoteKeys;
import io.tokengate.core.log.CoreLog;
import io.tokengate.core.remote.RemoteFetch;
import io.tokengate.core.revocation.InMemoryRevocationRegistry;
import io.tokengate.core.revocation.RevocationRegistry;

/**
 * A resource server's revocation registry, fed by its issuer's revocation feed: {@link #poll()} asks for the cuts
 * after its cursor (a conditional request, so an idle feed answers a bodiless 304), applies them to memory, and hands
 * retired keys to the {@link RemoteKeys}. The validator asks {@link #isRevoked} from memory only, and
 * {@link #isCurrent} says whether the feed was read within {@code maxStaleness}: before the first good poll, or after
 * the issuer has been unreachable that long, tokens are refused (TG-0205) — unless {@code acceptWhenStale}, when they are
 * accepted with that warning. A resource server never revokes itself: the {@code revoke*} methods throw.
 */
final class RevocationFeedClient implements RevocationRegistry {
    private static final System.Logger LOG = System.getLogger(RevocationFeedClient.class.getName());

    private final Callable<URI> feedUri;
    private final String authorization;
    private final RemoteFetch http;
    private final InMemoryRevocationRegistry local;
    private final RemoteKeys keys;
    private final long maxStalenessNanos;
    private final Duration maxStaleness;
    private final boolean acceptWhenStale;
    private final LongSupplier nanoTime;
    private String cursor; // the polling thread's
    private volatile long lastSuccess;
    private volatile boolean loaded;
    private volatile boolean staleLogged;

    RevocationFeedClient(Callable<URI> feedUri, String clientId, String secret, RemoteFetch http, InMemoryRevocationRegistry local,
                         RemoteKeys keys, Duration maxStaleness, boolean acceptWhenStale, LongSupplier nanoTime) {
        this.feedUri = Objects.requireNonNull(feedUri, "feedUri");
        // RFC 6749 §2.3.1: each part form-encoded, then Basic
        String pair = URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":" + URLEncoder.encode(secret, StandardCharsets.UTF_8);
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
        this.http = http;
        this.local = local;
        this.keys = keys;
        this.maxStaleness = maxStaleness;
        this.maxStalenessNanos = maxStaleness.toNanos();
        this.acceptWhenStale = acceptWhenStale;
        this.nanoTime = nanoTime;
    }

    /** Reads the feed once (from one thread at a time): whether it answered. */
    synchronized boolean poll() {
        URI at = null;
        try {
            at = RemoteFetch.checkedUri(feedUri.call(), "the revocation feed URL");
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Authorization", authorization);
            headers.put("Accept", "application/json");
            URI ask = at;
            if (cursor != null) {
                headers.put("If-None-Match", '"' + cursor + '"');
                ask = URI.create(at + (at.getRawQuery() == null ? "?" : "&") + "cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            }
            RemoteFetch.Answer answer = http.get(ask, headers);
            if (answer.status() == 200) {
                apply(answer.body());
            } else if (cursor == null) {
                throw new IOException("HTTP 304 to a request that was not conditional");
            }
            lastSuccess = nanoTime.getAsLong();
            loaded = true;
            if (staleLogged) {
                staleLogged = false;
                CoreLog.REVOCATION_FEED_BACK.log(LOG, at);
            }
            return true;
        } catch (Exception e) {
            if (!staleLogged && !isFresh()) {
                staleLogged = true;
                CoreLog.REVOCATION_FEED_STALE.log(LOG, at == null ? "(not known yet)" : at, maxStaleness,
                        acceptWhenStale ? "accepting tokens unchecked (tokengate.revocation-when-stale=accept)" : "refusing every token",
                        String.valueOf(e.getMessage()));
            }
            return false;
        }
    }

    private void apply(String body) throws IOException {
        Map<String, Object> page;
        try {
            page = StrictJson.parseObject(body);
        } catch (StrictJson.MalformedJson e) {
            throw new IOException("the feed is not JSON (" + e.getMessage() + ")");
        }
        if (!(page.get("cursor") instanceof String next)) {
            throw new IOException("the feed has no cursor");
        }
        for (Map<String, Object> e : entries(page, "jti")) {
            local.revokeAccessToken(text(e, "jti"), instant(e, "exp"));
        }
        for (Map<String, Object> e : entries(page, "sub")) {
            local.revokeSubject(text(e, "sub"), instant(e, "nbf"));
        }
        for (Map<String, Object> e : entries(page, "sid")) {
            local.revokeFamily(text(e, "sid"), instant(e, "nbf"));
        }
        for (Map<String, Object> e : entries(page, "kid")) {
            keys.retire(text(e, "kid"), instant(e, "until"));
        }
        cursor = next; // only once every cut of the page is applied: a failure reads the page again
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> entries(Map<String, Object> page, String kind) throws IOException {
        Object list = page.get(kind);
        if (list == null) {
            return List.of();
        }
        if (!(list instanceof List<?> l) || !l.stream().allMatch(o -> o instanceof Map)) {
            throw new IOException("the feed's " + kind + " is not a list of objects");
        }
        return (List<Map<String, Object>>) list;
    }

    private static String text(Map<String, Object> e, String name) throws IOException {
        if (!(e.get(name) instanceof String s) || s.isEmpty()) {
            throw new IOException("a feed entry lacks " + name);
        }
        return s;
    }

    private static Instant instant(Map<String, Object> e, String name) throws IOException {
        if (!(e.get(name) instanceof Number n)) {
            throw new IOException("a feed entry lacks the NumericDate " + name);
        }
        return Instant.ofEpochSecond(n.longValue());
    }

    private boolean isFresh() {
        return loaded && nanoTime.getAsLong() - lastSuccess <= maxStalenessNanos;
    }

    @Override
    public boolean isCurrent() {
        return acceptWhenStale || isFresh();
    }

    @Override
    public boolean isRevoked(String jti, String subject, String familyId, Instant issuedAt) {
        return local.isRevoked(jti, subject, familyId, issuedAt);
    }

    @Override
    public Instant notBefore(String subject, String familyId) {
        return local.notBefore(subject, familyId);
    }

    @Override
    public void checkRetention(Duration maxTokenLifetime, Duration clockSkew) {
        local.checkRetention(maxTokenLifetime, clockSkew);
    }

    @Override
    public void revokeAccessToken(String jti, Instant expiresAt) {
        throw notHere();
    }

    @Override
    public void revokeSubject(String subject, Instant notBefore) {
        throw notHere();
    }

    @Override
    public void revokeFamily(String familyId, Instant notBefore) {
        throw notHere();
    }

    private static UnsupportedOperationException notHere() {
        return new UnsupportedOperationException("a resource server does not revoke: revoke at the issuer, whose feed brings it here");
    }
}
