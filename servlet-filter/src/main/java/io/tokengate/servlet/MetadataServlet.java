package io.tokengate.servlet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.tokengate.core.TokenGate;
import io.tokengate.core.config.Setting;
import io.tokengate.core.config.Settings;

/** RFC 8414 authorization server metadata at {@value #PATH}: every endpoint is the issuer plus its path. */
public final class MetadataServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    /** Where the metadata is served, relative to the application. */
    public static final String PATH = "/.well-known/oauth-authorization-server";
    private transient byte[] body;

    @Override
    public void init(ServletConfig config) throws ServletException {
        super.init(config);
        TokenGate tokenGate = TokenGateListener.of(config.getServletContext());
        Settings s = tokenGate.settings();
        body = tokenGate.metadataJson(s.get(Setting.TOKEN_PATH, "/oauth/token"), s.get(Setting.REVOCATION_PATH, "/oauth/revoke"),
                s.get(Setting.INTROSPECTION_PATH, "/oauth/introspect"), s.get(Setting.JWKS_PATH, "/oauth/jwks"))
                .getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        if (JsonResponses.readOnly(request, response)) {
            super.service(request, response);
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("application/json;charset=UTF-8");
        response.setHeader("Cache-Control", "public, max-age=3600");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
