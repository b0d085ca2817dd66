package io.tokengate.sample;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.HttpConstraint;
import jakarta.servlet.annotation.ServletSecurity;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.jose4j.json.JsonUtil;

import io.tokengate.core.TokenGate;
import io.tokengate.core.endpoint.OAuthError;
import io.tokengate.core.refresh.RefreshTokenFamily;
import io.tokengate.core.validation.AccessTokenPrincipal;
import io.tokengate.servlet.BearerTokenFilter;
import io.tokengate.servlet.HttpAnswers;
import io.tokengate.servlet.TokenGateListener;

/**
 * The signed-in user's own devices and "sign out everywhere", written against TokenGate's Java API:
 * {@code GET /me/devices} lists the user's refresh-token families; {@code POST /me/sign-out-everywhere} revokes
 * them all and cuts every live access token of the user. Bearer-authenticated only, so no CSRF defence is needed.
 */
@WebServlet("/me/*")
@ServletSecurity(@HttpConstraint(rolesAllowed = "user"))
public class MyDevicesServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        TokenGate tokenGate = TokenGateListener.of(request.getServletContext());
        AccessTokenPrincipal token = (AccessTokenPrincipal) request.getAttribute(BearerTokenFilter.TOKEN_ATTRIBUTE);
        String action = request.getMethod() + " " + request.getPathInfo();
        response.setContentType("application/json;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store"); // addresses and user agents of the user's devices
        if (action.equals("GET /devices")) {
            List<Object> devices = new ArrayList<>();
            for (RefreshTokenFamily f : tokenGate.refreshTokens().families(token.subject())) {
                if (f.usableAt(Instant.now())) {
                    Map<String, Object> d = new LinkedHashMap<>();
                    d.put("client_id", f.clientId());
                    d.put("signed_in_at", f.createdAt().toString());
                    d.put("last_used_at", f.lastUsedAt().toString());
                    d.put("user_agent", f.userAgent());
                    d.put("address", f.remoteAddress());
                    d.put("this_device", token.familyId().map(f.familyId()::equals).orElse(false));
                    devices.add(d);
                }
            }
            response.getWriter().write(JsonUtil.toJson(Map.of("devices", devices)));
        } else if (action.equals("POST /sign-out-everywhere")) {
            int families = tokenGate.refreshTokens().revokeSubject(token.subject(), token.subject()).size();
            response.getWriter().write(JsonUtil.toJson(Map.of("signed_out_devices", families)));
        } else {
            HttpAnswers.error(response, OAuthError.NOT_FOUND, "No such resource");
        }
    }
}
