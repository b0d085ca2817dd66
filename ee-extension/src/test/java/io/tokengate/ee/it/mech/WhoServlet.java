package io.tokengate.ee.it.mech;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.annotation.security.DeclareRoles;
import jakarta.ejb.EJB;
import jakarta.inject.Inject;
import jakarta.security.enterprise.SecurityContext;
import jakarta.servlet.annotation.HttpConstraint;
import jakarta.servlet.annotation.ServletSecurity;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.jose4j.json.JsonUtil;

/** Reports what each container API says about the caller. */
@WebServlet("/who")
@ServletSecurity(@HttpConstraint(rolesAllowed = "user"))
@DeclareRoles({"user", "tokengate-admin"})
public class WhoServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    @Inject
    transient SecurityContext security;
    @EJB
    transient RoleBean roles;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("caller", security.getCallerPrincipal().getName());
        m.put("securityContextInRoleUser", security.isCallerInRole("user"));
        m.put("securityContextInRoleAdmin", security.isCallerInRole("tokengate-admin"));
        m.put("requestInRoleUser", request.isUserInRole("user"));
        m.put("requestInRoleAdmin", request.isUserInRole("tokengate-admin"));
        m.put("remoteUser", request.getRemoteUser());
        m.put("ejbCaller", roles.caller());
        m.put("ejbMayAdminister", roles.mayAdminister(roles));
        response.setContentType("application/json");
        response.getWriter().write(JsonUtil.toJson(m));
    }
}
