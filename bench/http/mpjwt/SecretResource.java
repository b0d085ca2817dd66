package bench.mpjwt;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

@Path("/secret")
@RequestScoped
public class SecretResource {
    @GET
    @Produces("text/plain")
    @RolesAllowed("user")
    public String secret() {
        return "Secret area\n";
    }
}
