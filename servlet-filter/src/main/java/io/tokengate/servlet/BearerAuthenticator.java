package io.tokengate.servlet;

import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.tokengate.core.TokenCheck;
import io.tokengate.core.config.ConfigurationException;
import io.tokengate.core.config.Setting;
import io.tokengate.core.config.Settings;
import io.tokengate.core.dpop.DPoPCheck;
import io.tokengate.core.dpop.DPoPProofValidator;
import io.tokengate.core.endpoint.OAuthError;
import io.tokengate.core.endpoint.Realm;
import io.tokengate.core.validation.AccessTokenPrincipal;
import io.tokengate.core.validation.AccessTokenValidator;
import io.tokengate.core.validation.FailureReason;
import io.tokengate.core.validation.ValidationResult;

/**
 * The bearer check of one request (RFC 6750), shared by {@link BearerTokenFilter} and the EE extension's
 * authentication mechanism: the credential ({@code BearerTokenResolver}), the token's validation in memory, the
 * required scopes of the path ({@code ScopeRules}), the caller's roles ({@code RoleMapper}), and the challenge of a
 * refusal ({@code BearerChallenge}). No database or network call.
 */
public final class BearerAuthenticator {
    private final AccessTokenValidator validator;
    private final DPoPProofValidator dpop; // null: only bearer tokens (a start-up check)
    private final BearerTokenResolver resolver;
    private final ScopeRules scopeRules;
    private final RoleMapper roles;
    private final BearerChallenge challenge;
    /** Names of the servlets of TokenGate's OAuth endpoints in this application. */
    private final Set<String> oauthEndpoints;

    /** What the request's credential amounts to. */
    public sealed interface Outcome permits NoCredential, Refused, Accepted {
    }

    /** The request carries no bearer credential at all. */
    public record NoCredential() implements Outcome {
    }

    /** The credential is refused: answer with {@link #challenge} ({@code dpop}: a DPoP request, challenged with DPoP). */
    public record Refused(OAuthError error, String description, String scope, boolean dpop) implements Outcome {
    }

    /** A valid token, and the roles its caller is in. */
    public record Accepted(AccessTokenPrincipal token, Set<String> roles) implements Outcome {
    }

    private static final NoCredential NONE = new NoCredential();
    private static final String LACKS_SCOPE = "The access token lacks a required scope";

    private BearerAuthenticator(AccessTokenValidator validator, DPoPProofValidator dpop, Settings settings, Set<String> oauthEndpoints) {
        this.validator = validator;
        this.dpop = dpop;
        String realm;
        try {
            realm = Realm.check(settings.required(Setting.REALM));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(Setting.REALM, e.getMessage());
        }
        this.challenge = new BearerChallenge(realm, dpop == null ? null : String.join(" ", dpop.algorithmNames()));
        this.resolver = new BearerTokenResolver(settings.bool(ServletSetting.ACCESS_TOKEN_QUERY_PARAMETER),
                settings.get(ServletSetting.ACCESS_TOKEN_COOKIE), HttpSettings.read(settings, "").csrf());
        this.scopeRules = ScopeRules.parse(settings.get(ServletSetting.REQUIRED_SCOPES));
        this.roles = RoleMapper.parse(settings.get(ServletSetting.SCOPE_ROLES));
        this.oauthEndpoints = Set.copyOf(oauthEndpoints);
    }

    /**
     * @param oauthEndpoints the servlet names of the application's OAuth endpoints
     *                       ({@link TokenGateInitializer#oauthEndpoints}), which the check leaves alone
     * @throws ConfigurationException naming the setting at fault
     */
    public static BearerAuthenticator create(Settings settings, TokenCheck check, Set<String> oauthEndpoints) {
        return new BearerAuthenticator(check.validator(), check.dpop(), settings, oauthEndpoints);
    }

    /** Checks the bearer settings at start-up without building anything that lasts. */
    public static void check(Settings settings) {
        new BearerAuthenticator(null, null, settings, Set.of());
    }

    /**
     * Whether the request goes to one of TokenGate's OAuth endpoints. The token, revocation and introspection
     * endpoints authenticate their clients themselves (RFC 6749 §2.3, with §5.2's {@code invalid_client} and its
     * challenge) — an {@code Authorization} header there carries client credentials, not a bearer token — and the
     * JWKS and the metadata are public; so the filter and the mechanism let such a request through untouched.
     */
    public boolean isOAuthEndpoint(HttpServletRequest request) {
        HttpServletMapping mapping = request.getHttpServletMapping();
        return mapping != null && oauthEndpoints.contains(mapping.getServletName());
    }

    /** Whether a scope rule covers the request's path: such a resource needs a token even without a container constraint. */
    public boolean hasScopeRule(HttpServletRequest request) {
        return !scopeRules.required(request).isEmpty();
    }

    public String realm() {
        return challenge.realm();
    }

    /** Checks the request; never throws for anything the client sent. */
    public Outcome authenticate(HttpServletRequest request) {
        BearerTokenResolver.Credential credential = resolver.resolve(request);
        if (credential instanceof BearerTokenResolver.Malformed m) {
            return new Refused(OAuthError.INVALID_REQUEST, m.description(), null, false);
        }
        if (!(credential instanceof BearerTokenResolver.Token t)) {
            return NONE;
        }
        ValidationResult result = validator.validate(t.value());
        if (!(result instanceof ValidationResult.Valid valid)) {
            ValidationResult.Invalid invalid = (ValidationResult.Invalid) result;
            // revocation could not be checked (a resource server's feed is too stale): not the token's fault, a 503
            OAuthError error = invalid.reason() == FailureReason.REVOCATION_UNAVAILABLE ? OAuthError.TEMPORARILY_UNAVAILABLE
                    : OAuthError.INVALID_TOKEN;
            return new Refused(error, invalid.description(), null, t.dpop());
        }
        AccessTokenPrincipal token = valid.token();
        Refused unbound = proofOfPossession(request, t, token);
        if (unbound != null) {
            return unbound;
        }
        Set<String> required = scopeRules.required(request);
        if (!token.scopes().containsAll(required)) {
            return new Refused(OAuthError.INSUFFICIENT_SCOPE, LACKS_SCOPE, String.join(" ", required), t.dpop());
        }
        return new Accepted(token, roles.roles(token));
    }

    /**
     * RFC 9449 §7: a token bound to a key ({@code cnf.jkt}) only as {@code Authorization: DPoP} with one valid proof of
     * that key for this request, its {@code ath} the token's hash — sent as {@code Bearer} it is a downgrade, refused; an
     * unbound token sent as {@code DPoP} is refused too. Null when the request passes.
     */
    private Refused proofOfPossession(HttpServletRequest request, BearerTokenResolver.Token t, AccessTokenPrincipal token) {
        String jkt = token.dpopJkt().orElse(null);
        if (jkt == null) {
            return t.dpop() ? new Refused(OAuthError.INVALID_TOKEN, "The access token is not DPoP-bound; send it as Bearer", null, true) : null;
        }
        if (!t.dpop()) {
            return new Refused(OAuthError.INVALID_TOKEN, "The access token is DPoP-bound; send it as Authorization: DPoP with a proof", null,
                    true);
        }
        List<String> proofs = Collections.list(request.getHeaders("DPoP"));
        if (proofs.size() != 1) {
            return new Refused(OAuthError.INVALID_DPOP_PROOF, proofs.isEmpty() ? "A DPoP proof is required" : "More than one DPoP header",
                    null, true);
        }
        DPoPCheck check = dpop.check(proofs.get(0), request.getMethod(), request.getRequestURL().toString(), t.value());
        if (check instanceof DPoPCheck.Refused r) {
            return new Refused(OAuthError.INVALID_DPOP_PROOF, r.reason().description(), null, true);
        }
        if (!((DPoPCheck.Passed) check).proof().jkt().equals(jkt)) {
            return new Refused(OAuthError.INVALID_DPOP_PROOF, "The DPoP proof is signed by another key than the token is bound to", null, true);
        }
        return null;
    }

    /** 401 with {@code WWW-Authenticate: Bearer realm="..."}: the resource needs a token and none came. */
    public void challengeMissing(HttpServletResponse response) throws IOException {
        challenge.missing(response);
    }

    /** The RFC 6750 §3 answer to a refused credential: status, {@code WWW-Authenticate} and a JSON body. */
    public void challenge(HttpServletResponse response, Refused refused) throws IOException {
        challenge.refused(response, refused);
    }
}
