package io.tokengate.servlet.it;

import java.io.IOException;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** The application's own code, unaware of TokenGate: it asks the request who the caller is. */
public class WhoAmIServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain");
        resp.getWriter().print(req.getUserPrincipal().getName() + "|" + req.getRemoteUser() + "|" + req.getAuthType()
                + "|user=" + req.isUserInRole("user") + "|admin=" + req.isUserInRole("tokengate-admin")
                + "|reader=" + req.isUserInRole("reader") + "|token=" + (req.getAttribute("io.tokengate.AccessToken") != null));
    }
}
