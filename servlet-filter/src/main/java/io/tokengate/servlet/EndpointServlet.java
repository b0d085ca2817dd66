package io.tokengate.servlet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.tokengate.core.TokenGate;
import io.tokengate.core.config.Setting;
import io.tokengate.core.endpoint.EndpointRequest;
import io.tokengate.core.endpoint.EndpointResponse;

/**
 * The token, revocation and introspection endpoints over HTTP: reads the form body itself (every occurrence of a
 * parameter kept, size-limited), hands it to {@code io.tokengate.core.endpoint.TokenEndpoint}, writes the answer.
 * It tells the endpoint whether the request passed the CSRF defence (an allowed {@code Origin} and the header
 * {@value #CSRF_HEADER}{@code : 1}), which every request of a cookie-mode client needs, and hands it the refresh
 * cookie; it sets (or clears) the cookie the endpoint's answer carries, httpOnly and scoped to the endpoints' folder.
 */
public final class EndpointServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = System.getLogger(EndpointServlet.class.getName());
    /** Header a browser client sends with a cookie-authenticated refresh or revocation. */
    public static final String CSRF_HEADER = "X-TokenGate-Refresh";
    static final String SECURE_COOKIE = "__Secure-tokengate-refresh";
    static final String LOCALHOST_COOKIE = "tokengate-refresh";

    /** Which endpoint this servlet serves. */
    public enum Kind { TOKEN, REVOCATION, INTROSPECTION }

    /** Init-param naming the endpoint of a declared servlet: token, revocation or introspection. */
    public static final String KIND_PARAMETER = "tokengate.endpoint";

    private Kind kind;
    private transient TokenGate tokenGate;
    private transient HttpSettings http;

    /** For web.xml declarations: the kind comes from the init-param {@code tokengate.endpoint} (token, revocation, introspection). */
    public EndpointServlet() {
    }

    EndpointServlet(Kind kind) {
        this.kind = kind;
    }

    @Override
    public void init(ServletConfig config) throws ServletException {
        super.init(config);
        if (kind == null) {
            kind = kindOf(config.getInitParameter(KIND_PARAMETER));
            if (kind == null) {
                throw new ServletException("TG-0001 TokenGate configuration: " + KIND_PARAMETER + ": is not token, revocation or introspection");
            }
        }
        tokenGate = TokenGateListener.of(config.getServletContext());
        http = HttpSettings.of(config.getServletContext()); // checked at start-up already
        if (http.insecureLocalhost() && kind == Kind.TOKEN) {
            LOG.log(Level.WARNING, "TG-0302 the refresh cookie of {0} is sent without Secure, for http://localhost development only",
                    tokenGate.settings().get(Setting.ISSUER));
        }
    }

    /** The kind named by an init-param value, or null. */
    static Kind kindOf(String value) {
        if (value != null) {
            for (Kind k : Kind.values()) {
                if (k.name().equalsIgnoreCase(value.trim())) {
                    return k;
                }
            }
        }
        return null;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        EndpointRequest.Builder b = EndpointRequest.builder(request.getMethod()).remoteAddress(request.getRemoteAddr());
        for (String name : List.of("Content-Type", "Authorization", "User-Agent")) {
            for (String value : Collections.list(request.getHeaders(name))) {
                b.header(name, value);
            }
        }
        if ("POST".equals(request.getMethod()) && isForm(request.getContentType())) {
            Map<String, List<String>> form;
            try {
                form = readForm(request, http.maxRequestSize());
            } catch (TooLarge e) {
                drain(request);
                JsonResponses.error(response, 400, "invalid_request", "The request body is too large");
                return;
            } catch (IllegalArgumentException e) {
                JsonResponses.error(response, 400, "invalid_request", "The request body is not valid form encoding");
                return;
            } catch (IOException e) {
                // a body shorter than its Content-Length, a chunked body without its last chunk, or one that stalled past
                // the container's read timeout: the client gets an answer, if it still listens
                JsonResponses.error(response, 400, "invalid_request", "The request body ended early or arrived too slowly");
                return;
            }
            form.forEach((k, values) -> values.forEach(v -> b.param(k, v)));
            List<String> cookies = refreshCookies(request);
            if (cookies.size() > 1) { // a second cookie of that name may have been planted from a sibling domain
                JsonResponses.error(response, 400, "invalid_request", "The request carries more than one refresh-token cookie");
                return;
            }
            // the endpoint decides: a cookie-mode client's requests must all pass the defence, and only they use the cookie
            b.refreshTokenCookie(cookies.isEmpty() ? null : cookies.get(0)).csrfDefencePassed(csrfSafe(request, http));
        }
        EndpointRequest endpointRequest = b.build();
        EndpointResponse r = switch (kind) {
            case TOKEN -> tokenGate.endpoint().token(endpointRequest);
            case REVOCATION -> tokenGate.endpoint().revoke(endpointRequest);
            case INTROSPECTION -> tokenGate.endpoint().introspect(endpointRequest);
        };
        write(response, r, http);
    }

    private static boolean csrfSafe(HttpServletRequest request, HttpSettings http) {
        String origin = request.getHeader("Origin");
        return origin != null && http.allowedOrigins().contains(origin) && "1".equals(request.getHeader(CSRF_HEADER));
    }

    private static String cookieName(HttpSettings http) {
        return http.insecureLocalhost() ? LOCALHOST_COOKIE : SECURE_COOKIE;
    }

    private List<String> refreshCookies(HttpServletRequest request) {
        List<String> values = new java.util.ArrayList<>(1);
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (Cookie c : cookies) {
                if (cookieName(http).equals(c.getName()) && !c.getValue().isEmpty()) {
                    values.add(c.getValue());
                }
            }
        }
        return values;
    }

    /**
     * {@code __Secure-} (not {@code __Host-}, which browsers accept only with {@code Path=/}): host-only (no
     * Domain), Secure, HttpOnly, SameSite=Strict, and a Path limited to the folder of the token and revocation
     * endpoints.
     */
    private static String cookieHeader(HttpSettings http, String value, long maxAge) {
        return cookieName(http) + "=" + value + "; Path=" + http.cookiePath() + "; Max-Age=" + maxAge + "; HttpOnly"
                + (http.insecureLocalhost() ? "" : "; Secure") + "; SameSite=Strict";
    }

    private static boolean isForm(String contentType) {
        return contentType != null
                && contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT).equals("application/x-www-form-urlencoded");
    }

    static final class TooLarge extends Exception {
        private static final long serialVersionUID = 1L;
    }

    /** Reads and drops the rest of an oversized body (up to 4 MiB), so the client reads the error instead of a reset. */
    private static void drain(HttpServletRequest request) {
        byte[] buffer = new byte[8192];
        long left = 4L << 20;
        try (InputStream in = request.getInputStream()) {
            int n;
            while (left > 0 && (n = in.read(buffer)) > 0) {
                left -= n;
            }
        } catch (IOException | IllegalStateException e) {
            // the error response is what matters
        }
    }

    /**
     * The form body, every occurrence of a parameter kept.
     *
     * @throws IOException when the body ends before its Content-Length (some containers report that as the end of the
     *                     stream), breaks off, or stalls past the container's read timeout
     */
    static Map<String, List<String>> readForm(HttpServletRequest request, int maxRequestSize) throws IOException, TooLarge {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try (InputStream in = request.getInputStream()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (body.size() + n > maxRequestSize) {
                    throw new TooLarge();
                }
                body.write(buffer, 0, n);
            }
        }
        long announced = request.getContentLengthLong();
        if (announced >= 0 && body.size() < announced) {
            throw new IOException("the body ended after " + body.size() + " of " + announced + " bytes");
        }
        Map<String, List<String>> form = new LinkedHashMap<>();
        String text = body.toString(StandardCharsets.UTF_8);
        if (text.isEmpty()) {
            return form;
        }
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            form.computeIfAbsent(name, k -> new java.util.ArrayList<>()).add(value);
        }
        return form;
    }

    /**
     * Writes a token response of the application's TokenGate the way the token endpoint does (a cookie-mode
     * client's refresh token as the httpOnly cookie), e.g. for the EE extension's container-login hand-off.
     */
    public static void send(HttpServletRequest request, HttpServletResponse response, EndpointResponse r) throws IOException, ServletException {
        write(response, r, HttpSettings.of(request.getServletContext()));
    }

    /** Whether a cookie-authenticated request passes the CSRF defence: an allowed {@code Origin} and {@value #CSRF_HEADER}{@code : 1}. */
    public static boolean csrfSafe(HttpServletRequest request) throws ServletException {
        return csrfSafe(request, HttpSettings.of(request.getServletContext()));
    }

    private static void write(HttpServletResponse response, EndpointResponse r, HttpSettings http) throws IOException {
        response.setStatus(r.status());
        r.headers().forEach(response::setHeader);
        if (r.refreshTokenCookie() != null) {
            response.addHeader("Set-Cookie", cookieHeader(http, r.refreshTokenCookie(), r.refreshTokenCookieMaxAge().getSeconds()));
        }
        byte[] bytes = r.body().getBytes(StandardCharsets.UTF_8);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
