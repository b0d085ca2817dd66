package io.tokengate.ee.it.mech;

import jakarta.annotation.Resource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJBAccessException;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;

@Stateless
public class RoleBean {
    @Resource
    SessionContext context;

    @RolesAllowed("user")
    public String caller() {
        return context.getCallerPrincipal().getName();
    }

    @RolesAllowed("tokengate-admin")
    public String adminOnly() {
        return "admin";
    }

    /** Whether the EJB container lets the caller into the admin-only method. */
    public boolean mayAdminister(RoleBean self) {
        try {
            self.adminOnly();
            return true;
        } catch (EJBAccessException e) {
            return false;
        }
    }
}
