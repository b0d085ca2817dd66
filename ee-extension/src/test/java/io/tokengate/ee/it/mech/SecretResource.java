package io.tokengate.ee.it.mech;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.SecurityContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

@Path("/")
@RequestScoped
@Produces("text/plain")
public class SecretResource {
    @Inject
    SecurityContext security;

    @GET
    @Path("secret")
    @RolesAllowed("user")
    public String secret() {
        return "Secret area for " + security.getCallerPrincipal().getName();
    }

    @GET
    @Path("public")
    public String open() {
        return "Public page for " + (security.getCallerPrincipal() == null ? "anonymous" : security.getCallerPrincipal().getName());
    }

    /** No container constraint: only the tokengate.required-scopes rule of the test's web.xml guards it. */
    @GET
    @Path("scoped")
    public String scoped() {
        return "Scoped area for " + (security.getCallerPrincipal() == null ? "anonymous" : security.getCallerPrincipal().getName());
    }

    @GET
    @Path("admin-only")
    @RolesAllowed("tokengate-admin")
    public String admin() {
        return "Admin area";
    }
}
