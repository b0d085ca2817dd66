package io.tokengate.servlet;

import java.io.IOException;
import java.util.Collections;
import java.util.List;

import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.tokengate.core.endpoint.EndpointRequest;
import io.tokengate.core.endpoint.RevocationFeedEndpoint;

/**
 * The issuer's revocation feed for its resource servers ({@link RevocationFeedEndpoint}): a GET with the client's
 * HTTP Basic credentials, the {@code cursor} query parameter and {@code If-None-Match}, translated and answered.
 */
public final class RevocationFeedServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private transient RevocationFeedEndpoint feed;

    @Override
    public void init(ServletConfig config) throws ServletException {
        super.init(config);
        feed = TokenGateListener.of(config.getServletContext()).revocationFeedEndpoint();
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        EndpointRequest.Builder b = EndpointRequest.builder(request.getMethod()).remoteAddress(request.getRemoteAddr());
        for (String name : List.of("Authorization", "If-None-Match")) {
            for (String value : Collections.list(request.getHeaders(name))) {
                b.header(name, value);
            }
        }
        if ("GET".equals(request.getMethod())) {
            request.getParameterMap().forEach((k, values) -> {
                for (String v : values) {
                    b.param(k, v);
                }
            });
        }
        HttpAnswers.write(response, feed.read(b.build()));
    }
}
