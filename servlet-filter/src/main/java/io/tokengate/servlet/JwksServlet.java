package io.tokengate.servlet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.tokengate.core.TokenGate;

/**
 * The JWK Set (RFC 7517) of the public keys that verify now: next, active and previous. Cacheable for
 * {@code tokengate.jwks-max-age}; a next key must be staged at least that long before it signs.
 */
public final class JwksServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private transient TokenGate tokenGate;
    private long maxAge;

    @Override
    public void init(ServletConfig config) throws ServletException {
        super.init(config);
        tokenGate = TokenGateListener.of(config.getServletContext());
        maxAge = HttpSettings.of(config.getServletContext()).jwksMaxAge().getSeconds();
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        if (HttpAnswers.readOnly(request, response)) {
            super.service(request, response);
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        byte[] body = tokenGate.jwksJson().getBytes(StandardCharsets.UTF_8);
        response.setContentType("application/jwk-set+json;charset=UTF-8");
        response.setHeader("Cache-Control", "public, max-age=" + maxAge);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
