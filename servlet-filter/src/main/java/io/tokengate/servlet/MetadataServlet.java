package io.tokengate.servlet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.tokengate.core.TokenGate;
import io.tokengate.core.endpoint.AuthorizationServerMetadata;
import io.tokengate.core.endpoint.OAuthErrors;

/** RFC 8414 authorization server metadata at {@code /.well-known/oauth-authorization-server}: every endpoint is the issuer plus its path. */
public final class MetadataServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private transient byte[] body;

    @Override
    public void init(ServletConfig config) throws ServletException {
        super.init(config);
        TokenGate tokenGate = TokenGateListener.of(config.getServletContext());
        HttpSettings http = HttpSettings.of(config.getServletContext());
        AuthorizationServerMetadata.Paths p = http.paths();
        ServletRegistration authorization = config.getServletContext().getServletRegistration(TokenGateInitializer.AUTHORIZATION_SERVLET);
        String authorizationPath = authorization == null || authorization.getMappings().isEmpty() ? null
                : authorization.getMappings().iterator().next();
        body = tokenGate.metadataJson(new AuthorizationServerMetadata.Paths(p.token(), p.revocation(), p.introspection(), p.jwks(),
                p.revocationFeed(), authorizationPath))
                .getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        if (HttpAnswers.readOnly(request, response)) {
            super.service(request, response);
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType(OAuthErrors.JSON);
        response.setHeader("Cache-Control", "public, max-age=3600");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
