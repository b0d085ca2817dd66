package io.tokengate.core.authorize;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collection;

/**
 * Whether a redirect URI of an authorization request is one the client registered: exact string comparison (RFC 9700
 * §2.1, OAuth 2.1), with the one exception RFC 8252 §7.3 makes for native apps — an {@code http} redirect to the
 * loopback IP literal {@code 127.0.0.1} or {@code [::1]} matches a registered one that differs only in its port, since
 * the app picks a free port when it starts. {@code localhost} gets no such exception (§8.3: it may not resolve to
 * loopback), and nothing is normalised: case, a trailing slash, a default port or an added query make another URI.
 */
public final class RedirectUris {
    private RedirectUris() {
    }

    /** Whether {@code requested} matches one of {@code registered}. */
    public static boolean registered(String requested, Collection<String> registered) {
        if (requested == null || requested.isEmpty()) {
            return false;
        }
        for (String r : registered) {
            if (r.equals(requested) || loopbackPortVariant(r, requested)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether any app on the user's device could receive redirects to {@code uri}: a loopback address (any port) or a
     * private-use scheme (RFC 8252 §7.1, §7.3), as opposed to an https or http origin that DNS and TLS tie to a site.
     */
    public static boolean anyAppMayClaim(String uri) {
        URI u = parse(uri);
        if (u == null || u.getScheme() == null) {
            return true;
        }
        String scheme = u.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return true;
        }
        String host = u.getHost();
        return host == null || host.equals("127.0.0.1") || host.equals("[::1]");
    }

    private static boolean loopbackPortVariant(String registered, String requested) {
        URI a = parse(registered);
        URI b = parse(requested);
        if (a == null || b == null || !"http".equals(a.getScheme()) || !"http".equals(b.getScheme())) {
            return false;
        }
        String host = a.getHost();
        if (!("127.0.0.1".equals(host) || "[::1]".equals(host)) || !host.equals(b.getHost())) {
            return false;
        }
        return a.getRawUserInfo() == null && b.getRawUserInfo() == null && b.getPort() > 0
                && same(a.getRawPath(), b.getRawPath()) && same(a.getRawQuery(), b.getRawQuery()) && b.getRawFragment() == null;
    }

    private static boolean same(String x, String y) {
        return x == null ? y == null : x.equals(y);
    }

    private static URI parse(String s) {
        try {
            URI u = new URI(s);
            return u.isAbsolute() && !u.isOpaque() ? u : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
