package io.tokengate.ee;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.jose4j.json.JsonUtil;

import io.tokengate.core.TokenGate;
import io.tokengate.core.endpoint.OAuthError;
import io.tokengate.core.endpoint.OAuthErrors;
import io.tokengate.core.keys.KeySet;
import io.tokengate.core.keys.KeySetException;
import io.tokengate.core.refresh.RefreshTokenFamily;
import io.tokengate.core.refresh.StoreUnavailableException;
import io.tokengate.servlet.BearerTokenFilter;
import io.tokengate.servlet.CsrfPolicy;
import io.tokengate.servlet.HttpAnswers;
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
            HttpAnswers.write(response, OAuthErrors.methodNotAllowed("GET, POST", "Use GET or POST"));
            return;
        }
        // only a bearer token is sure not to ride along with a cross-site form (a browser resends Basic credentials)
        boolean bearer = request.getAttribute(BearerTokenFilter.TOKEN_ATTRIBUTE) != null;
        if (post && !bearer && !CsrfPolicy.of(request.getServletContext()).passed(request)) {
            HttpAnswers.error(response, OAuthError.INVALID_REQUEST, "A cookie-authenticated change needs an allowed Origin and the "
                    + CsrfPolicy.HEADER + " header");
            return;
        }
        try {
            switch ((post ? "POST " : "GET ") + action) {
                case "GET /families" -> {
                    String subject = one(request, "subject");
                    if (subject == null) {
                        HttpAnswers.error(response, OAuthError.INVALID_REQUEST, "Send one subject");
                        return;
                    }
                    List<Object> families = new ArrayList<>();
                    for (RefreshTokenFamily f : tokenGate.refreshTokens().families(subject)) {
                        families.add(describe(f));
                    }
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("subject", subject);
                    body.put("families", families);
                    HttpAnswers.json(response, JsonUtil.toJson(body));
                }
                case "POST /revoke-family" -> {
                    String family = one(request, "family_id");
                    if (family == null) {
                        HttpAnswers.error(response, OAuthError.INVALID_REQUEST, "Send one family_id");
                        return;
                    }
                    boolean revoked = tokenGate.refreshTokens().revokeFamily(family, admin);
                    EeLog.ADMIN_REVOKED_FAMILY.log(LOG, admin, family, revoked);
                    HttpAnswers.json(response, JsonUtil.toJson(Map.of("family_id", family, "revoked", revoked)));
                }
                case "POST /revoke-subject" -> {
                    String subject = one(request, "subject");
                    if (subject == null) {
                        HttpAnswers.error(response, OAuthError.INVALID_REQUEST, "Send one subject");
                        return;
                    }
                    List<String> ids = tokenGate.refreshTokens().revokeSubject(subject, admin);
                    EeLog.ADMIN_SIGNED_OUT.log(LOG, admin, subject, ids.size());
                    HttpAnswers.json(response, JsonUtil.toJson(Map.of("subject", subject, "revoked_families", ids)));
                }
                case "GET /keys" -> HttpAnswers.json(response, keys(tokenGate.keyRing().current()));
                case "POST /keys/rotate" -> {
                    KeySet now = tokenGate.rotateKeys();
                    EeLog.ADMIN_ROTATED_KEYS.log(LOG, admin, now.describe());
                    HttpAnswers.json(response, keys(now));
                }
                case "POST /keys/retire" -> {
                    String kid = one(request, "kid");
                    if (kid == null) {
                        HttpAnswers.error(response, OAuthError.INVALID_REQUEST, "Send one kid");
                        return;
                    }
                    KeySet now = tokenGate.retireKey(kid);
                    EeLog.ADMIN_RETIRED_KEY.log(LOG, admin, kid,
                            now.describe());
                    HttpAnswers.json(response, keys(now));
                }
                default -> HttpAnswers.error(response, OAuthError.NOT_FOUND, "No such administration action");
            }
        } catch (KeySetException e) {
            HttpAnswers.write(response, OAuthErrors.error(409, OAuthError.INVALID_REQUEST, e.getMessage()));
        } catch (StoreUnavailableException e) {
            HttpAnswers.error(response, OAuthError.TEMPORARILY_UNAVAILABLE, "The token store is unavailable; try again");
        } catch (RuntimeException e) {
            EeLog.ADMIN_ACTION_FAILED.log(LOG, e, action, admin);
            HttpAnswers.error(response, OAuthError.TEMPORARILY_UNAVAILABLE, "The action failed; see the server log (" + EeLog.ADMIN_ACTION_FAILED.id() + ")");
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
        m.put("state", f.state().name().toLowerCase(Locale.ROOT));
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
