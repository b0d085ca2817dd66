package io.tokengate.ee;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.jose4j.json.JsonUtil;

import io.tokengate.core.TokenGate;
import io.tokengate.core.keys.KeySet;
import io.tokengate.core.keys.KeySetException;
import io.tokengate.core.refresh.RefreshTokenFamily;
import io.tokengate.core.refresh.StoreUnavailableException;
import io.tokengate.servlet.EndpointServlet;
import io.tokengate.servlet.JsonResponses;
import io.tokengate.servlet.TokenGateListener;

/**
 * Administration for callers in the {@code tokengate.admin-role} (the container enforces it), under
 * {@code tokengate.admin-path}:
 * <ul>
 * <li>{@code GET families?subject=alice}: the user's families, newest first (device inventory);</li>
 * <li>{@code POST revoke-family} with {@code family_id}: signs one device out;</li>
 * <li>{@code POST revoke-subject} with {@code subject}: signs the user out everywhere;</li>
 * <li>{@code GET keys}: the signing keys and their status;</li>
 * <li>{@code POST keys/rotate}: planned rotation; {@code POST keys/retire} with {@code kid}: emergency retirement.</li>
 * </ul>
 * A {@code POST} not authenticated by a bearer token (a FORM session, BASIC...) needs the CSRF defence (allowed
 * {@code Origin} and {@code X-TokenGate-Refresh: 1}). Key rotation and retirement act on the server that handles
 * the call (see the README for clusters). Every change is logged as
 * TG-0407 with the admin's name and fired as a CDI event.
 */
final class AdminServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = System.getLogger(AdminServlet.class.getName());

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException {
        TokenGate tokenGate = TokenGateListener.of(request.getServletContext());
        String action = request.getPathInfo() == null ? "" : request.getPathInfo();
        String admin = "admin:" + request.getUserPrincipal().getName();
        boolean post = "POST".equals(request.getMethod());
        if (!post && !"GET".equals(request.getMethod())) {
            JsonResponses.error(response, 405, "invalid_request", "Use GET or POST");
            return;
        }
        // only a bearer token is sure not to ride along with a cross-site form (a browser resends Basic credentials)
        boolean bearer = request.getAttribute(io.tokengate.servlet.BearerTokenFilter.TOKEN_ATTRIBUTE) != null;
        if (post && !bearer && !EndpointServlet.csrfSafe(request)) {
            JsonResponses.error(response, 400, "invalid_request", "A cookie-authenticated change needs an allowed Origin and the "
                    + EndpointServlet.CSRF_HEADER + " header");
            return;
        }
        try {
            switch ((post ? "POST " : "GET ") + action) {
                case "GET /families" -> {
                    String subject = one(request, "subject");
                    if (subject == null) {
                        JsonResponses.error(response, 400, "invalid_request", "Send one subject");
                        return;
                    }
                    List<Object> families = new ArrayList<>();
                    for (RefreshTokenFamily f : tokenGate.refreshTokens().families(subject)) {
                        families.add(describe(f));
                    }
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("subject", subject);
                    body.put("families", families);
                    JsonResponses.write(response, 200, JsonUtil.toJson(body));
                }
                case "POST /revoke-family" -> {
                    String family = one(request, "family_id");
                    if (family == null) {
                        JsonResponses.error(response, 400, "invalid_request", "Send one family_id");
                        return;
                    }
                    boolean revoked = tokenGate.refreshTokens().revokeFamily(family, admin);
                    LOG.log(Level.INFO, "TG-0407 {0} revoked family {1} (was active: {2})", admin, family, revoked);
                    JsonResponses.write(response, 200, JsonUtil.toJson(Map.of("family_id", family, "revoked", revoked)));
                }
                case "POST /revoke-subject" -> {
                    String subject = one(request, "subject");
                    if (subject == null) {
                        JsonResponses.error(response, 400, "invalid_request", "Send one subject");
                        return;
                    }
                    List<String> ids = tokenGate.refreshTokens().revokeSubject(subject, admin);
                    LOG.log(Level.INFO, "TG-0407 {0} signed {1} out everywhere ({2} families)", admin, subject, ids.size());
                    JsonResponses.write(response, 200, JsonUtil.toJson(Map.of("subject", subject, "revoked_families", ids)));
                }
                case "GET /keys" -> JsonResponses.write(response, 200, keys(tokenGate.keyRing().current()));
                case "POST /keys/rotate" -> {
                    KeySet now = tokenGate.rotateKeys();
                    LOG.log(Level.INFO, "TG-0407 {0} rotated the signing keys: {1}", admin, now.describe());
                    JsonResponses.write(response, 200, keys(now));
                }
                case "POST /keys/retire" -> {
                    String kid = one(request, "kid");
                    if (kid == null) {
                        JsonResponses.error(response, 400, "invalid_request", "Send one kid");
                        return;
                    }
                    KeySet now = tokenGate.retireKey(kid);
                    LOG.log(Level.WARNING, "TG-0407 {0} retired key {1}: tokens it signed are refused from now on; keys {2}", admin, kid,
                            now.describe());
                    JsonResponses.write(response, 200, keys(now));
                }
                default -> JsonResponses.error(response, 404, "invalid_request", "No such administration action");
            }
        } catch (KeySetException e) {
            JsonResponses.error(response, 409, "invalid_request", e.getMessage());
        } catch (StoreUnavailableException e) {
            JsonResponses.error(response, 503, "temporarily_unavailable", "The token store is unavailable; try again");
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "TG-0408 administration action " + action + " by " + admin + " failed", e);
            JsonResponses.error(response, 503, "temporarily_unavailable", "The action failed; see the server log (TG-0408)");
        }
    }

    private static String one(HttpServletRequest request, String name) {
        String[] values = request.getParameterValues(name);
        return values == null || values.length != 1 || values[0].isBlank() ? null : values[0];
    }

    private static Map<String, Object> describe(RefreshTokenFamily f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("family_id", f.familyId());
        m.put("client_id", f.clientId());
        m.put("state", f.state().name().toLowerCase(java.util.Locale.ROOT));
        m.put("created_at", f.createdAt().toString());
        m.put("last_used_at", f.lastUsedAt().toString());
        m.put("expires_at", f.expiresAt().toString());
        m.put("user_agent", f.userAgent());
        m.put("remote_address", f.remoteAddress());
        m.put("scope", String.join(" ", f.scopes()));
        return m;
    }

    private static String keys(KeySet set) {
        return JsonUtil.toJson(Map.of("keys", set.describe()));
    }
}
