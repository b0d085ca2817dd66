package io.tokengate.servlet;

import io.tokengate.core.TokenGate;
import io.tokengate.core.endpoint.EndpointRequest;
import io.tokengate.core.endpoint.EndpointResponse;

/** The introspection endpoint (RFC 7662) over HTTP. */
public final class IntrospectionServlet extends FormEndpointServlet {
    private static final long serialVersionUID = 1L;

    @Override
    EndpointResponse answer(TokenGate tokenGate, EndpointRequest request) {
        return tokenGate.introspectionEndpoint().introspect(request);
    }
}
