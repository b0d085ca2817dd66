package io.tokengate.servlet.it;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** Test-only: counts TokenGate's rows in the server's default datasource, to prove where refresh tokens live. */
public class RowCountServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            DataSource ds = (DataSource) new InitialContext().lookup("java:comp/DefaultDataSource");
            try (Connection c = ds.getConnection(); ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM TG_FAMILY")) {
                rs.next();
                resp.getWriter().print(rs.getLong(1));
            }
        } catch (NamingException | SQLException e) {
            resp.setStatus(500);
            resp.getWriter().print(e);
        }
    }
}
