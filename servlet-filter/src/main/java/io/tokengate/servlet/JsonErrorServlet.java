package io.tokengate.servlet;

import java.io.IOException;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.tokengate.core.endpoint.OAuthError;
import io.tokengate.core.endpoint.OAuthErrors;
import io.tokengate.core.refresh.StoreUnavailableException;

/**
 * The application's error page as JSON, for errors the container answers itself (an unknown path, a method no
 * servlet handles, a security constraint that refuses the caller, an exception): the same RFC-style body as
 * TokenGate's own errors, for any method (a static error page is served by the default servlet, which answers a
 * PUT or DELETE error dispatch with an empty 403). A method the container does not know (its 501) is answered 400:
 * the client's error; an exception caused by TokenGate's store being unavailable is a 503 with {@code Retry-After}. Declare it in web.xml and name it as the location of the
 * {@code <error-page>}s (see the README); a direct request to it is answered 404.
 */
public final class JsonErrorServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int code = status instanceof Integer i && i >= 400 && i <= 599 ? i : 404;
        if (code == 501) {
            code = 400; // a method the container does not know is the client's error: a 5xx would page whoever watches for server faults
        }
        if (causedByStoreOutage(request.getAttribute(RequestDispatcher.ERROR_EXCEPTION))) {
            code = 503; // the application's own use of TokenGate's store while its database is away
        }
        if (response.isCommitted()) {
            return; // the application wrote its own answer already
        }
        response.resetBuffer();
        HttpAnswers.write(response, OAuthErrors.error(code, errorOf(code), description(code)));
    }

    private static boolean causedByStoreOutage(Object exception) {
        for (Throwable t = exception instanceof Throwable e ? e : null; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StoreUnavailableException) {
                return true;
            }
        }
        return false;
    }

    /** The error code of the body: RFC 6749 / RFC 6750 codes where one fits. */
    static OAuthError errorOf(int status) {
        return switch (status) {
            case 401 -> OAuthError.UNAUTHORIZED;
            case 403 -> OAuthError.ACCESS_DENIED;
            case 404 -> OAuthError.NOT_FOUND;
            case 503 -> OAuthError.TEMPORARILY_UNAVAILABLE;
            default -> status >= 500 ? OAuthError.SERVER_ERROR : OAuthError.INVALID_REQUEST;
        };
    }

    private static String description(int status) {
        return switch (status) {
            case 401 -> "Authentication is required";
            case 403 -> "The caller may not access this resource";
            case 404 -> "No such resource";
            case 405 -> "This method is not allowed here";
            case 400 -> "The request is not valid, or its method is not supported";
            case 503 -> "The service is temporarily unavailable; try again later";
            default -> status >= 500 ? "The request could not be completed" : "The request is not valid";
        };
    }
}
