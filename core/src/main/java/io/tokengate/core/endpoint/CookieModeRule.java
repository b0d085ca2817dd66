package io.tokengate.core.endpoint;

import io.tokengate.core.client.ClientRegistration;

/**
 * Every answer to a cookie-mode (browser) client sets or clears its refresh cookie, so every request of such a
 * client must have passed the CSRF defence — whatever the grant, and before anything is issued or consumed:
 * otherwise a cross-site form could plant an attacker's session in the victim's browser (login CSRF), or sign
 * the victim out (logout CSRF).
 */
final class CookieModeRule {
    private CookieModeRule() {
    }

    static void requireCsrfDefence(ClientRegistration client, EndpointRequest request) {
        if (client.cookieMode() && !request.csrfDefencePassed()) {
            throw new OAuthException(OAuthError.INVALID_REQUEST,
                    "A browser client's request needs an allowed Origin and the X-TokenGate-Refresh: 1 header");
        }
    }
}
