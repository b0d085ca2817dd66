package io.tokengate.ee.it.form;

import java.io.IOException;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** An API resource behind the bearer filter (web.xml maps it to /api/*). */
@WebServlet("/api/whoami")
public class ApiServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain");
        response.getWriter().write(request.getRemoteUser() + " user=" + request.isUserInRole("user") + " auth=" + request.getAuthType());
    }
}
