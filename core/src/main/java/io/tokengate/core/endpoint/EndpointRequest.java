package io.tokengate.core.endpoint;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A request to an OAuth endpoint as the HTTP layer received it: method, headers (names case-insensitive),
 * the form parameters of the body with every occurrence kept (so a repeated parameter is visible), the client's
 * address, the refresh token of the cookie (used for clients in cookie mode), and whether the request passed the
 * CSRF defence of browser clients (an allowed {@code Origin} and the header {@code X-TokenGate-Refresh: 1}, checked
 * by the HTTP layer). Immutable; build with {@link #builder(String)}.
 */
public final class EndpointRequest {
    private final String method;
    private final String uri;
    private final Map<String, List<String>> headers;
    private final Map<String, List<String>> form;
    private final String remoteAddress;
    private final String refreshTokenCookie;
    private final boolean csrfDefencePassed;

    private EndpointRequest(Builder b) {
        this.method = Objects.requireNonNull(b.method, "method");
        this.uri = b.uri;
        TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        b.headers.forEach((k, v) -> h.put(k, List.copyOf(v)));
        this.headers = Collections.unmodifiableMap(h);
        Map<String, List<String>> f = new LinkedHashMap<>();
        b.form.forEach((k, v) -> f.put(k, List.copyOf(v)));
        this.form = Collections.unmodifiableMap(f);
        this.remoteAddress = b.remoteAddress;
        this.refreshTokenCookie = b.refreshTokenCookie;
        this.csrfDefencePassed = b.csrfDefencePassed;
    }

    public static Builder builder(String method) {
        return new Builder(method);
    }

    public String method() {
        return method;
    }

    /** The URL the request was sent to, without its query: what a DPoP proof's {@code htu} names. Null if not given. */
    public String uri() {
        return uri;
    }

    /** The first value of a header, or null. */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public List<String> headerValues(String name) {
        return headers.getOrDefault(name, List.of());
    }

    /** Every form parameter with all its values. */
    public Map<String, List<String>> form() {
        return form;
    }

    public String remoteAddress() {
        return remoteAddress;
    }

    public String refreshTokenCookie() {
        return refreshTokenCookie;
    }

    /**
     * Whether the request came from an allowed origin with the CSRF header, so a cross-site form cannot have sent
     * it. Every request of a cookie-mode client must have passed it: its answers set or clear the refresh cookie.
     */
    public boolean csrfDefencePassed() {
        return csrfDefencePassed;
    }

    public static final class Builder {
        private final String method;
        private String uri;
        private final Map<String, List<String>> headers = new LinkedHashMap<>();
        private final Map<String, List<String>> form = new LinkedHashMap<>();
        private String remoteAddress;
        private String refreshTokenCookie;
        private boolean csrfDefencePassed;

        private Builder(String method) {
            this.method = method;
        }

        /** The request URL, e.g. {@code HttpServletRequest.getRequestURL()}. */
        public Builder uri(String value) {
            this.uri = value;
            return this;
        }

        public Builder header(String name, String value) {
            headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            return this;
        }

        /** Adds one occurrence of a form parameter (call twice for a repeated parameter). */
        public Builder param(String name, String value) {
            form.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            return this;
        }

        /** All parameters, e.g. from {@code ServletRequest.getParameterMap()}. */
        public Builder params(Map<String, String[]> values) {
            values.forEach((k, v) -> {
                for (String s : v) {
                    param(k, s);
                }
            });
            return this;
        }

        public Builder remoteAddress(String value) {
            this.remoteAddress = value;
            return this;
        }

        public Builder refreshTokenCookie(String value) {
            this.refreshTokenCookie = value;
            return this;
        }

        /** Set by the HTTP layer when the request has an allowed {@code Origin} and {@code X-TokenGate-Refresh: 1}. */
        public Builder csrfDefencePassed(boolean value) {
            this.csrfDefencePassed = value;
            return this;
        }

        public EndpointRequest build() {
            return new EndpointRequest(this);
        }
    }
}
