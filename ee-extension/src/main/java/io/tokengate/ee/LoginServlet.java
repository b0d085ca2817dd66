package io.tokengate.ee;

import java.io.IOException;
import java.time.Clock;
import java.util.Optional;

import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.tokengate.core.client.CredentialVerifier;
import io.tokengate.core.endpoint.OAuthError;
import io.tokengate.core.endpoint.OAuthErrors;
import io.tokengate.servlet.CsrfPolicy;
import io.tokengate.servlet.HttpAnswers;

/**
 * TokenGate's own login page, for applications whose mechanism is TokenGate (they have no login page of their own): a
 * plain form posting {@code username} and {@code password}, checked by the application's identity stores; on success
 * the session gets a new id and the user goes back to the authorization request that sent them here. The page is
 * TokenGate's unless {@code tokengate.login-page} names the application's own, which is forwarded to with the request
 * attributes {@value #CSRF_ATTRIBUTE}, {@value #ACTION_ATTRIBUTE} and {@value #ERROR_ATTRIBUTE}.
 */
final class LoginServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = System.getLogger(LoginServlet.class.getName());
    /** Request attribute for a replacement page: the value of the hidden {@code csrf} field it must post. */
    static final String CSRF_ATTRIBUTE = "tokengate.csrf";
    /** Request attribute for a replacement page: where its form posts. */
    static final String ACTION_ATTRIBUTE = "tokengate.action";
    /** Request attribute for a replacement page: why the last attempt failed, or absent. */
    static final String ERROR_ATTRIBUTE = "tokengate.error";
    private final String page;
    private transient CsrfPolicy csrf;
    private transient CredentialVerifier users;

    /** @param page the application's replacement page (a path in the application), or null for TokenGate's */
    LoginServlet(String page) {
        this.page = page;
    }

    @Override
    public void init(ServletConfig config) throws ServletException {
        super.init(config);
        csrf = CsrfPolicy.of(config.getServletContext());
        users = new IdentityStoreVerifier();
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        if ("GET".equals(request.getMethod())) {
            show(request, response, 200, null);
        } else if ("POST".equals(request.getMethod())) {
            signIn(request, response);
        } else {
            HttpAnswers.write(response, OAuthErrors.methodNotAllowed("GET, POST", "Use GET or POST"));
        }
    }

    private void signIn(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        if (!BrowserSession.csrfPassed(request, csrf)) {
            show(request, response, 400, "The form was stale or not sent from this site; sign in again");
            return;
        }
        String[] username = request.getParameterValues("username");
        String[] password = request.getParameterValues("password");
        if (username == null || password == null || username.length != 1 || password.length != 1) {
            show(request, response, 400, "Enter a username and a password");
            return;
        }
        Optional<CredentialVerifier.AuthenticatedUser> user;
        try {
            user = users.verify(username[0], password[0]);
        } catch (RuntimeException e) {
            io.tokengate.core.log.CoreLog.IDENTITY_STORE_FAILED.log(LOG, e.toString());
            show(request, response, OAuthError.TEMPORARILY_UNAVAILABLE.httpStatus(), "Signing in is unavailable; try again later");
            return;
        }
        if (user.isEmpty()) {
            show(request, response, 401, "The username or password is incorrect");
            return;
        }
        String back = BrowserSession.takeReturn(request);
        BrowserSession.signIn(request, new BrowserSession.SignedIn(user.get().subject(), user.get().groups(), Clock.systemUTC().instant()));
        AuthorizationPages.secure(response);
        response.setStatus(303);
        response.setHeader("Location", BrowserSession.localPath(back) ? back : BrowserSession.inApplication(request, "/"));
    }

    private void show(HttpServletRequest request, HttpServletResponse response, int status, String error) throws IOException, ServletException {
        String token = BrowserSession.csrfToken(request);
        if (page == null) {
            AuthorizationPages.login(response, status, BrowserSession.ownPath(request), token, error);
            return;
        }
        request.setAttribute(CSRF_ATTRIBUTE, token);
        request.setAttribute(ACTION_ATTRIBUTE, BrowserSession.ownPath(request));
        if (error != null) {
            request.setAttribute(ERROR_ATTRIBUTE, error);
        }
        AuthorizationPages.secure(response);
        response.setStatus(status);
        request.getRequestDispatcher(page).forward(request, response);
    }
}
