package io.tokengate.servlet;

import io.tokengate.core.TokenGate;
import io.tokengate.core.endpoint.EndpointRequest;
import io.tokengate.core.endpoint.EndpointResponse;

/** The revocation endpoint (RFC 7009) over HTTP; for a cookie-mode client also its sign-out. */
public final class RevocationServlet extends FormEndpointServlet {
    private static final long serialVersionUID = 1L;

    @Override
    EndpointResponse answer(TokenGate tokenGate, EndpointRequest request) {
        return tokenGate.revocationEndpoint().revoke(request);
    }
}
