package io.tokengate.ee.it.mech;

import java.io.IOException;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The application's own HTML for TokenGate's login page ({@code tokengate.login-page=/custom-login}): TokenGate forwards
 * here with where the form posts, its CSRF token and the last error.
 */
@WebServlet("/custom-login")
public class CustomLoginPage extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object error = request.getAttribute("tokengate.error");
        response.setContentType("text/html;charset=UTF-8");
        response.getWriter().write("<h1>Shop sign-in</h1>" + (error == null ? "" : "<p class=\"error\">" + error + "</p>")
                + "<form method=\"post\" action=\"" + request.getAttribute("tokengate.action") + "\">"
                + "<input type=\"hidden\" name=\"csrf\" value=\"" + request.getAttribute("tokengate.csrf") + "\">"
                + "<input name=\"username\"><input name=\"password\" type=\"password\"><button>Sign in</button></form>");
    }
}
