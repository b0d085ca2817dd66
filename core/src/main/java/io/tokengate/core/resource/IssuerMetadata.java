package io.tokengate.core.resource;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.tokengate.core.endpoint.AuthorizationServerMetadata;
import io.tokengate.core.json.StrictJson;
import io.tokengate.core.remote.RemoteFetch;

/**
 * The trusted issuer's RFC 8414 metadata, read once when first needed and kept: where its JWKS and its revocation
 * feed are. Looked up at {@code https://host/.well-known/oauth-authorization-server/path} (RFC 8414 §3.1) and then,
 * for an issuer with a path, at {@code issuer + /.well-known/oauth-authorization-server} (where an application with a
 * context path serves it); the document's {@code issuer} must be the configured one exactly (§3.3). A URL given in
 * configuration wins over the document's. Until a lookup succeeds, every ask tries again (the callers rate-limit).
 * Thread-safe.
 */
final class IssuerMetadata {
    private static final String WELL_KNOWN = "/.well-known/oauth-authorization-server";

    private final String issuer;
    private final RemoteFetch http;
    private final URI configuredJwks;
    private final URI configuredFeed;
    private volatile Found found;

    private record Found(URI jwks, URI feed) {
    }

    /**
     * @param configuredJwks {@code tokengate.jwks-uri}, or null to read the metadata
     * @param configuredFeed {@code tokengate.revocation-feed-uri}, or null to read the metadata
     */
    IssuerMetadata(String issuer, RemoteFetch http, URI configuredJwks, URI configuredFeed) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.http = http;
        this.configuredJwks = configuredJwks;
        this.configuredFeed = configuredFeed;
    }

    /** The JWKS URL. @throws IOException while the metadata cannot be read */
    URI jwksUri() throws IOException {
        return configuredJwks != null ? configuredJwks : found().jwks;
    }

    /** The revocation feed's URL. @throws IOException while the metadata cannot be read or names none */
    URI feedUri() throws IOException {
        if (configuredFeed != null) {
            return configuredFeed;
        }
        URI feed = found().feed;
        if (feed == null) {
            throw new IOException("the issuer's metadata names no " + AuthorizationServerMetadata.REVOCATION_FEED_ENDPOINT
                    + "; set tokengate.revocation-feed-uri");
        }
        return feed;
    }

    private Found found() throws IOException {
        Found f = found;
        if (f == null) {
            f = lookUp();
            found = f;
        }
        return f;
    }

    /** Where the metadata may be, in the order tried. */
    static List<URI> locations(String issuer) {
        URI u = URI.create(issuer);
        String path = u.getRawPath() == null ? "" : u.getRawPath().replaceAll("/$", "");
        List<URI> at = new ArrayList<>();
        at.add(u.resolve(WELL_KNOWN + path));
        if (!path.isEmpty()) {
            at.add(URI.create(issuer.replaceAll("/$", "") + WELL_KNOWN));
        }
        return at;
    }

    private Found lookUp() throws IOException {
        IOException last = null;
        for (URI at : locations(issuer)) {
            try {
                return read(at, http.get(RemoteFetch.checkedUri(at, "the issuer's metadata URL"), Map.of("Accept", "application/json")).body());
            } catch (IOException e) {
                last = new IOException(at + ": " + e.getMessage(), e);
            }
        }
        throw last;
    }

    private Found read(URI at, String body) throws IOException {
        Map<String, Object> doc;
        try {
            doc = StrictJson.parseObject(body);
        } catch (StrictJson.MalformedJson e) {
            throw new IOException("not a JSON object (" + e.getMessage() + ")");
        }
        if (!issuer.equals(doc.get("issuer"))) {
            throw new IOException("its issuer is " + doc.get("issuer") + ", not " + issuer + " (RFC 8414 §3.3)");
        }
        return new Found(uri(doc, "jwks_uri", true), uri(doc, AuthorizationServerMetadata.REVOCATION_FEED_ENDPOINT, false));
    }

    private static URI uri(Map<String, Object> doc, String member, boolean required) throws IOException {
        Object value = doc.get(member);
        if (value == null && !required) {
            return null;
        }
        if (!(value instanceof String s)) {
            throw new IOException("its " + member + " is missing or not a string");
        }
        try {
            return RemoteFetch.checkedUri(URI.create(s), member);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage());
        }
    }
}
