package io.tokengate.core.endpoint;

import java.util.Locale;
import java.util.function.Supplier;

import io.tokengate.core.log.CoreLog;
import io.tokengate.core.refresh.StoreUnavailableException;

/**
 * What every endpoint does around its own work: POST with a form only (RFC 6749 §3.2), and every failure an RFC
 * 6749 §5.2 answer — a refusal its error, a store that is down 503 {@code temporarily_unavailable} (TG-1102),
 * anything unexpected 500 {@code server_error} (TG-1103) — never an exception.
 */
final class EndpointGuard {
    private static final System.Logger LOG = System.getLogger(EndpointGuard.class.getName());
    private final String realm;

    EndpointGuard(String realm) {
        this.realm = realm;
    }

    EndpointResponse run(EndpointRequest request, Supplier<EndpointResponse> action) {
        if (!"POST".equals(request.method())) {
            return OAuthErrors.methodNotAllowed("POST", "The endpoint accepts POST only");
        }
        String type = request.header("Content-Type");
        String mediaType = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!"application/x-www-form-urlencoded".equals(mediaType)) {
            return OAuthErrors.error(OAuthError.INVALID_REQUEST, "The request must be application/x-www-form-urlencoded");
        }
        return guarded(action);
    }

    /** The action's answer, or the answer to its failure. */
    EndpointResponse guarded(Supplier<EndpointResponse> action) {
        try {
            return action.get();
        } catch (OAuthException e) {
            return answer(e);
        } catch (StoreUnavailableException e) {
            CoreLog.STORE_UNAVAILABLE.log(LOG, String.valueOf(e.getCause()));
            return OAuthErrors.error(OAuthError.TEMPORARILY_UNAVAILABLE, "The token service is temporarily unavailable; try again later");
        } catch (RuntimeException e) {
            CoreLog.ENDPOINT_FAILED.log(LOG, e);
            return OAuthErrors.error(OAuthError.SERVER_ERROR, "The request could not be completed");
        }
    }

    EndpointResponse answer(OAuthException e) {
        return e.error() == OAuthError.INVALID_CLIENT ? OAuthErrors.invalidClient(realm, e.description())
                : OAuthErrors.error(e.error(), e.description());
    }
}
