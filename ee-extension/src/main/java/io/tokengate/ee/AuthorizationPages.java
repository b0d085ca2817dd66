package io.tokengate.ee;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.tokengate.core.endpoint.OAuthError;
import io.tokengate.servlet.HttpAnswers;

/**
 * The HTML of the authorization endpoint and of TokenGate's own login page: small, self-contained pages (no script, inline
 * style only) sent with headers that keep them out of frames (clickjacking), out of caches and their URLs out of
 * other sites' {@code Referer}. Every value written into a page is HTML-escaped.
 */
final class AuthorizationPages {
    /** No frames, no scripts, nothing loaded; no {@code form-action}: browsers apply it to the redirect to the client too. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'";
    private static final String STYLE = "body{font:16px system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#222}"
            + "input{display:block;width:100%;margin:.3rem 0 1rem;padding:.5rem;font:inherit;box-sizing:border-box}"
            + "button{padding:.5rem 1.2rem;font:inherit;margin-right:.5rem}.error{color:#a00}code{background:#eee;padding:0 .2rem}";

    private AuthorizationPages() {
    }

    /** The headers of every page: not framed, not cached, no referrer, no sniffing. */
    static void secure(HttpServletResponse response) {
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Pragma", "no-cache");
        // not no-referrer: browsers then send "Origin: null" with the forms' posts, which the CSRF defence must refuse
        response.setHeader("Referrer-Policy", "same-origin");
        response.setHeader("X-Content-Type-Options", "nosniff");
    }

    /** An error the user sees, never a redirect: HTML, or the RFC 6749 JSON error for a caller that asks for JSON only. */
    static void error(HttpServletRequest request, HttpServletResponse response, OAuthError error, String description) throws IOException {
        secure(response);
        String accept = request.getHeader("Accept");
        if (accept != null && accept.contains("application/json") && !accept.contains("text/html")) {
            HttpAnswers.error(response, error, description);
            return;
        }
        page(response, error.httpStatus(), "Sign-in request refused",
                "<h1>This sign-in request cannot be served</h1><p class=\"error\">" + escape(description) + "</p><p>Error <code>"
                        + escape(error.code()) + "</code>. Go back to the application and try again.</p>");
    }

    /** The consent page: which client asks for which scopes, approve or deny, posting back the request id and the CSRF token. */
    static void consent(HttpServletResponse response, String action, String clientId, Set<String> scopes, String user, String requestId,
                        String csrf) throws IOException {
        StringBuilder list = new StringBuilder();
        for (String s : new TreeSet<>(scopes)) {
            list.append("<li><code>").append(escape(s)).append("</code></li>");
        }
        secure(response);
        page(response, 200, "Allow access?", "<h1>Allow <code>" + escape(clientId) + "</code> to use your account?</h1><p>Signed in as <b>"
                + escape(user) + "</b>.</p>" + (list.length() == 0 ? "" : "<p>It asks for:</p><ul>" + list + "</ul>")
                + "<form method=\"post\" action=\"" + escape(action) + "\"><input type=\"hidden\" name=\"request\" value=\"" + escape(requestId)
                + "\"><input type=\"hidden\" name=\"csrf\" value=\"" + escape(csrf) + "\">"
                + "<button type=\"submit\" name=\"consent\" value=\"approve\">Allow</button>"
                + "<button type=\"submit\" name=\"consent\" value=\"deny\">Deny</button></form>");
    }

    /** TokenGate's own login page: a plain form posting {@code username}, {@code password} and {@code csrf}. */
    static void login(HttpServletResponse response, int status, String action, String csrf, String error) throws IOException {
        secure(response);
        page(response, status, "Sign in", "<h1>Sign in</h1>" + (error == null ? "" : "<p class=\"error\">" + escape(error) + "</p>")
                + "<form method=\"post\" action=\"" + escape(action) + "\"><input type=\"hidden\" name=\"csrf\" value=\"" + escape(csrf) + "\">"
                + "<label>Username<input name=\"username\" autocomplete=\"username\" required autofocus></label>"
                + "<label>Password<input name=\"password\" type=\"password\" autocomplete=\"current-password\" required></label>"
                + "<button type=\"submit\">Sign in</button></form>");
    }

    private static void page(HttpServletResponse response, int status, String title, String body) throws IOException {
        byte[] html = ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">"
                + "<title>" + escape(title) + "</title><style>" + STYLE + "</style></head><body>" + body + "</body></html>")
                .getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("text/html;charset=UTF-8");
        response.setContentLength(html.length);
        response.getOutputStream().write(html);
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
