package io.tokengate.servlet;

import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.tokengate.core.TokenGate;
import io.tokengate.core.endpoint.EndpointRequest;
import io.tokengate.core.endpoint.EndpointResponse;
import io.tokengate.core.endpoint.OAuthError;

/**
 * What the token, revocation and introspection servlets share: they translate the HTTP request to an
 * {@link EndpointRequest} — the form read here (bounded, every occurrence kept), whether the CSRF defence passed, the
 * refresh cookie — hand it to their core endpoint, and write the answer, setting or clearing the cookie it carries.
 */
abstract class FormEndpointServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private transient TokenGate tokenGate;
    private transient HttpSettings http;

    @Override
    public void init(ServletConfig config) throws ServletException {
        super.init(config);
        tokenGate = TokenGateListener.of(config.getServletContext());
        http = HttpSettings.of(config.getServletContext()); // checked at start-up already
    }

    /** The core endpoint's answer. */
    abstract EndpointResponse answer(TokenGate tokenGate, EndpointRequest request);

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        EndpointRequest.Builder b = EndpointRequest.builder(request.getMethod()).remoteAddress(request.getRemoteAddr())
                .uri(request.getRequestURL().toString());
        for (String name : List.of("Content-Type", "Authorization", "User-Agent", "DPoP")) {
            for (String value : Collections.list(request.getHeaders(name))) {
                b.header(name, value);
            }
        }
        if ("POST".equals(request.getMethod()) && FormReader.isForm(request.getContentType())) {
            Map<String, List<String>> form;
            try {
                form = FormReader.read(request, http.maxRequestSize());
            } catch (FormReader.TooLarge e) {
                FormReader.drain(request);
                HttpAnswers.error(response, OAuthError.INVALID_REQUEST, "The request body is too large");
                return;
            } catch (IllegalArgumentException e) {
                HttpAnswers.error(response, OAuthError.INVALID_REQUEST, "The request body is not valid form encoding");
                return;
            } catch (IOException e) {
                // a body shorter than its Content-Length, a chunked body without its last chunk, or one that stalled past
                // the container's read timeout: the client gets an answer, if it still listens
                HttpAnswers.error(response, OAuthError.INVALID_REQUEST, "The request body ended early or arrived too slowly");
                return;
            }
            form.forEach((k, values) -> values.forEach(v -> b.param(k, v)));
            List<String> cookies = http.cookie().values(request);
            if (cookies.size() > 1) { // a second cookie of that name may have been planted from a sibling domain
                HttpAnswers.error(response, OAuthError.INVALID_REQUEST, "The request carries more than one refresh-token cookie");
                return;
            }
            // the endpoint decides: a cookie-mode client's requests must all pass the defence, and only they use the cookie
            b.refreshTokenCookie(cookies.isEmpty() ? null : cookies.get(0)).csrfDefencePassed(http.csrf().passed(request));
        }
        HttpAnswers.write(response, answer(tokenGate, b.build()), http.cookie());
    }
}
