package io.tokengate.core.authorize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** PKCE S256 only (RFC 7636, RFC 9700 §2.1.1) and exact redirect-URI matching with RFC 8252's loopback port variance. */
class PkceAndRedirectUrisTest {
    /** RFC 7636 Appendix B. */
    private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    @Test
    void theRfcsExampleVerifierMatchesItsChallenge() {
        assertEquals(CHALLENGE, Pkce.challengeOf(VERIFIER));
        assertTrue(Pkce.matches(VERIFIER, CHALLENGE));
        assertTrue(Pkce.acceptableChallenge(CHALLENGE, "S256"));
    }

    @Test
    void plainMissingOrMalformedChallengesAreRefused() {
        assertFalse(Pkce.acceptableChallenge(VERIFIER, "plain"), "plain protects nothing once the request is seen");
        assertFalse(Pkce.acceptableChallenge(CHALLENGE, null), "no method means plain (RFC 7636 §4.3)");
        assertFalse(Pkce.acceptableChallenge(null, "S256"));
        assertFalse(Pkce.acceptableChallenge(CHALLENGE.substring(1), "S256"));
        assertFalse(Pkce.acceptableChallenge(CHALLENGE.replace('-', '+'), "S256"));
        assertFalse(Pkce.acceptableChallenge(CHALLENGE, "s256"));
    }

    @Test
    void aWrongShortLongOrMissingVerifierDoesNotMatch() {
        assertFalse(Pkce.matches(VERIFIER.replace('d', 'e'), CHALLENGE));
        assertFalse(Pkce.matches(CHALLENGE, CHALLENGE), "the challenge is not its own verifier");
        assertFalse(Pkce.matches("a".repeat(42), Pkce.challengeOf("a".repeat(42))), "shorter than 43");
        assertFalse(Pkce.matches("a".repeat(129), Pkce.challengeOf("a".repeat(129))), "longer than 128");
        assertTrue(Pkce.matches("a".repeat(128), Pkce.challengeOf("a".repeat(128))));
        assertFalse(Pkce.matches(VERIFIER + "!", Pkce.challengeOf(VERIFIER + "!")), "not an unreserved character");
        assertFalse(Pkce.matches(null, CHALLENGE));
        assertFalse(Pkce.matches(VERIFIER, null));
    }

    @Test
    void redirectUrisMatchExactly() {
        List<String> registered = List.of("https://app.example/callback", "com.example.app:/oauth2redirect");
        assertTrue(RedirectUris.registered("https://app.example/callback", registered));
        assertTrue(RedirectUris.registered("com.example.app:/oauth2redirect", registered), "a private-use scheme (RFC 8252 §7.1)");
        for (String other : List.of("https://app.example/callback/", "https://APP.example/callback", "https://app.example:443/callback",
                "https://app.example/callback?x=1", "https://app.example/callback#f", "https://app.example/Callback",
                "http://app.example/callback", "https://app.example.evil/callback", "https://evil@app.example/callback", "")) {
            assertFalse(RedirectUris.registered(other, registered), other);
        }
        assertFalse(RedirectUris.registered(null, registered));
    }

    @Test
    void aLoopbackRedirectMayUseAnyPortAndNothingElseVaries() {
        List<String> registered = List.of("http://127.0.0.1:8765/callback", "http://[::1]/callback");
        assertTrue(RedirectUris.registered("http://127.0.0.1:8765/callback", registered));
        assertTrue(RedirectUris.registered("http://127.0.0.1:51004/callback", registered), "RFC 8252 §7.3: the port varies");
        assertTrue(RedirectUris.registered("http://[::1]:60123/callback", registered));
        for (String other : List.of("http://127.0.0.1:51004/other", "http://127.0.0.1:51004/callback?x=1", "http://localhost:8765/callback",
                "https://127.0.0.1:8765/callback", "http://127.0.0.2:8765/callback", "http://user@127.0.0.1:8765/callback",
                "http://127.0.0.1:51004/callback#f")) {
            assertFalse(RedirectUris.registered(other, registered), other);
        }
    }
}
