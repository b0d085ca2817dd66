package io.tokengate.core.endpoint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jose4j.json.JsonUtil;

import io.tokengate.core.client.ClientRegistration;
import io.tokengate.core.client.ClientRegistry;
import io.tokengate.core.revocation.RevocationFeed;

/**
 * {@code GET /revocation-feed?cursor=...}: the issuer's cuts for its resource servers, from {@link RevocationFeed}.
 * Only a confidential client registered with {@code revocation-feed} reads it (HTTP Basic; anyone else gets
 * {@code invalid_client} or 403 {@code access_denied} and no cut). The answer carries the next {@code cursor} as its
 * {@code ETag}; a conditional request ({@code If-None-Match}) for the current cursor is a bodiless 304, so an idle feed
 * costs a few hundred bytes per poll. Cut instants are NumericDates (whole seconds: tokens carry
 * {@code iat} in seconds, and one of the cut's own second is refused). Thread-safe; no database access.
 */
public final class RevocationFeedEndpoint {
    private final ClientAuthenticator clients;
    private final RevocationFeed feed;
    private final EndpointGuard guard;

    public RevocationFeedEndpoint(ClientRegistry clients, RevocationFeed feed, String realm) {
        this.clients = new ClientAuthenticator(clients);
        this.feed = feed;
        this.guard = new EndpointGuard(Realm.check(realm));
    }

    /** @param request a GET whose form holds the query parameters */
    public EndpointResponse read(EndpointRequest request) {
        if (!"GET".equals(request.method())) {
            return OAuthErrors.methodNotAllowed("GET", "The revocation feed accepts GET only");
        }
        return guard.guarded(() -> {
            FormParameters p = FormParameters.of(request);
            ClientRegistration client = clients.authenticate(request, p, false);
            if (!client.revocationFeed()) {
                throw new OAuthException(OAuthError.ACCESS_DENIED, "This client may not read the revocation feed");
            }
            String cursor = p.get("cursor");
            String current = feed.cursor();
            String etag = '"' + current + '"';
            if (etag.equals(request.header("If-None-Match")) && current.equals(cursor)) {
                Map<String, String> headers = OAuthErrors.jsonHeaders();
                headers.remove("Content-Type");
                headers.put("ETag", etag);
                return new EndpointResponse(304, headers, "", null, null);
            }
            RevocationFeed.Page page = feed.since(cursor);
            Map<String, String> headers = OAuthErrors.jsonHeaders();
            headers.put("ETag", '"' + page.cursor() + '"');
            return new EndpointResponse(200, headers, JsonUtil.toJson(body(page)), null, null);
        });
    }

    private static Map<String, Object> body(RevocationFeed.Page page) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("cursor", page.cursor());
        body.put("complete", page.complete());
        Map<RevocationFeed.Kind, List<Map<String, Object>>> byKind = new LinkedHashMap<>();
        for (RevocationFeed.Kind kind : RevocationFeed.Kind.values()) {
            byKind.put(kind, new ArrayList<>());
        }
        for (RevocationFeed.Cut cut : page.cuts()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put(cut.kind().field(), cut.key());
            entry.put(cut.kind() == RevocationFeed.Kind.JTI ? "exp" : cut.kind() == RevocationFeed.Kind.KEY ? "until" : "nbf",
                    cut.at().getEpochSecond());
            byKind.get(cut.kind()).add(entry);
        }
        byKind.forEach((kind, entries) -> body.put(kind.field(), entries));
        return body;
    }
}
