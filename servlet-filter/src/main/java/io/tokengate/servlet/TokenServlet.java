package io.tokengate.servlet;


import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;

import io.tokengate.core.TokenGate;
import io.tokengate.core.endpoint.EndpointRequest;
import io.tokengate.core.endpoint.EndpointResponse;

/** The token endpoint (RFC 6749 §3.2) over HTTP. */
public final class TokenServlet extends FormEndpointServlet {
    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = System.getLogger(TokenServlet.class.getName());

    @Override
    public void init(ServletConfig config) throws ServletException {
        super.init(config);
        if (!HttpSettings.of(config.getServletContext()).cookie().secure()) {
            ServletLog.INSECURE_COOKIE.log(LOG, TokenGateListener.of(config.getServletContext()).config().issuer());
        }
    }

    @Override
    EndpointResponse answer(TokenGate tokenGate, EndpointRequest request) {
        return tokenGate.tokenEndpoint().token(request);
    }
}
