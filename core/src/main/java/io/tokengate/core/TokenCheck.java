package io.tokengate.core;

import io.tokengate.core.config.Settings;
import io.tokengate.core.config.TokenGateConfig;
import io.tokengate.core.dpop.DPoPProofValidator;
import io.tokengate.core.validation.AccessTokenValidator;

/**
 * What the bearer check of the servlet filter and of the EE mechanism needs, whoever issued the tokens: the
 * validator and the settings. {@link TokenGate} is one (it checks its own tokens); a
 * {@link io.tokengate.core.resource.ResourceServer} is the other (it checks another issuer's).
 */
public interface TokenCheck {

    AccessTokenValidator validator();

    /** Checks the DPoP proofs that come with DPoP-bound access tokens (RFC 9449 §7). */
    DPoPProofValidator dpop();

    /** Every setting as given. */
    Settings settings();

    /** The core's settings, parsed. */
    TokenGateConfig config();
}
