package io.tokengate.core.endpoint;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jose4j.json.JsonUtil;

/**
 * The one producer of TokenGate's error answers — the endpoints', the bearer check's, the admin API's, the error
 * pages' — so every one has the same body ({@code {"error": ..., "error_description": ...}}), the same cache
 * headers ({@code Cache-Control: no-store}, {@code Pragma: no-cache}), and the challenge or {@code Retry-After} its
 * status calls for.
 */
public final class OAuthErrors {
    /** The media type of every JSON answer. */
    public static final String JSON = "application/json;charset=UTF-8";

    private OAuthErrors() {
    }

    /** The headers of every JSON answer: never cached (RFC 6749 §5.1). */
    public static Map<String, String> jsonHeaders() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", JSON);
        h.put("Cache-Control", "no-store");
        h.put("Pragma", "no-cache");
        return h;
    }

    /** An error at its own status; a 503 says when to come back. */
    public static EndpointResponse error(OAuthError error, String description) {
        return error(error.httpStatus(), error, description);
    }

    /** An error at another status than its usual one (e.g. 405 {@code invalid_request}). */
    public static EndpointResponse error(int status, OAuthError error, String description) {
        Map<String, String> headers = jsonHeaders();
        if (status == 503) {
            headers.put("Retry-After", Integer.toString(OAuthError.RETRY_AFTER_SECONDS));
        }
        return new EndpointResponse(status, headers, body(error, description), null, null);
    }

    /** RFC 6749 §5.2: failed client authentication, with the challenge of HTTP Basic. */
    public static EndpointResponse invalidClient(String realm, String description) {
        return withHeaderFirst(error(OAuthError.INVALID_CLIENT, description), "WWW-Authenticate", "Basic realm=\"" + realm + "\"");
    }

    /** 405 {@code invalid_request} with {@code Allow}. */
    public static EndpointResponse methodNotAllowed(String allow, String description) {
        return withHeaderFirst(error(405, OAuthError.INVALID_REQUEST, description), "Allow", allow);
    }

    /**
     * RFC 6750 §3: the bearer challenge. Without {@code error} (no credential at all, §3.1) the challenge names the
     * realm only and the body is {@code {}}; otherwise the challenge carries the error, its description and, for
     * {@code insufficient_scope}, the scope needed.
     */
    public static EndpointResponse bearerChallenge(String realm, OAuthError error, String description, String scope) {
        if (error == null) {
            return withHeaderFirst(new EndpointResponse(401, jsonHeaders(), "{}", null, null), "WWW-Authenticate",
                    "Bearer realm=\"" + realm + "\"");
        }
        StringBuilder h = new StringBuilder("Bearer realm=\"").append(realm).append("\", error=\"").append(error.code())
                .append("\", error_description=\"").append(description).append('"');
        if (scope != null) {
            h.append(", scope=\"").append(scope).append('"');
        }
        return withHeaderFirst(error(error, description), "WWW-Authenticate", h.toString());
    }

    /**
     * The answer of a resource to a request without a usable token where DPoP is accepted too: 401 with both challenges,
     * {@code Bearer realm="..."} and {@code DPoP realm="...", algs="..."} (RFC 9449 §7.1), in one header field.
     */
    public static EndpointResponse challenges(String realm, String dpopAlgorithms) {
        return withHeaderFirst(new EndpointResponse(401, jsonHeaders(), "{}", null, null), "WWW-Authenticate",
                "Bearer realm=\"" + realm + "\", DPoP realm=\"" + realm + "\", algs=\"" + dpopAlgorithms + "\"");
    }

    /** RFC 9449 §7.1: a refused DPoP-scheme request (or DPoP-bound token), challenged with {@code DPoP} and its {@code algs}. */
    public static EndpointResponse dpopChallenge(String realm, String dpopAlgorithms, OAuthError error, String description, String scope) {
        StringBuilder h = new StringBuilder("DPoP realm=\"").append(realm).append("\", algs=\"").append(dpopAlgorithms)
                .append("\", error=\"").append(error.code()).append("\", error_description=\"").append(description).append('"');
        if (scope != null) {
            h.append(", scope=\"").append(scope).append('"');
        }
        return withHeaderFirst(error == OAuthError.INVALID_DPOP_PROOF ? new EndpointResponse(401, jsonHeaders(), body(error, description),
                null, null) : error(error, description), "WWW-Authenticate", h.toString());
    }

    private static String body(OAuthError error, String description) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error.code());
        body.put("error_description", description);
        return JsonUtil.toJson(body);
    }

    /** The challenge (or {@code Allow}) goes first, before the cache headers, as RFC 6750's examples show it. */
    private static EndpointResponse withHeaderFirst(EndpointResponse r, String name, String value) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(name, value);
        headers.putAll(r.headers());
        return new EndpointResponse(r.status(), headers, r.body(), r.refreshTokenCookie(), r.refreshTokenCookieMaxAge());
    }
}
