package io.tokengate.servlet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.tokengate.core.endpoint.EndpointResponse;
import io.tokengate.core.endpoint.OAuthError;
import io.tokengate.core.endpoint.OAuthErrors;

/** Writes TokenGate's answers ({@link EndpointResponse}s, made by the core) to the servlet response: the one writer. */
public final class HttpAnswers {
    private HttpAnswers() {
    }

    /** Status, headers and body; never cached, never an HTML page. */
    public static void write(HttpServletResponse response, EndpointResponse r) throws IOException {
        response.setStatus(r.status());
        r.headers().forEach(response::setHeader);
        byte[] bytes = r.body().getBytes(StandardCharsets.UTF_8);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /** An answer that may set or clear the refresh cookie of a cookie-mode client. */
    static void write(HttpServletResponse response, EndpointResponse r, RefreshCookie cookie) throws IOException {
        if (r.refreshTokenCookie() != null) {
            response.addHeader("Set-Cookie", cookie.header(r.refreshTokenCookie(), r.refreshTokenCookieMaxAge().getSeconds()));
        }
        write(response, r);
    }

    /** A token response of the application's TokenGate, e.g. the EE extension's hand-off: its cookie set as the endpoints set it. */
    public static void writeTokenResponse(HttpServletRequest request, HttpServletResponse response, EndpointResponse r)
            throws IOException, ServletException {
        write(response, r, HttpSettings.of(request.getServletContext()).cookie());
    }

    /** A 200 JSON answer, never cached. */
    public static void json(HttpServletResponse response, String json) throws IOException {
        write(response, new EndpointResponse(200, OAuthErrors.jsonHeaders(), json, null, null));
    }

    /** An error answer of TokenGate's kind. */
    public static void error(HttpServletResponse response, OAuthError error, String description) throws IOException {
        write(response, OAuthErrors.error(error, description));
    }

    /** For read-only endpoints: answers anything but GET and HEAD with a JSON 405 and returns false. */
    static boolean readOnly(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if ("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod())) {
            return true;
        }
        write(response, OAuthErrors.methodNotAllowed("GET, HEAD", "This endpoint is read with GET"));
        return false;
    }
}
