package io.tokengate.ee.it.mech;

import java.io.IOException;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** Test-only window on the events the application observed. */
@WebServlet("/test/events")
public class EventsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    @Inject
    transient EventLog log;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain");
        response.getWriter().write(String.join("\n", log.seen()));
    }
}
