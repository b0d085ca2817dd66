package io.tokengate.servlet;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The servlet URL-pattern matching behind tokengate.required-scopes. */
class UrlPatternTest {
    @Test
    void prefixPatternsMatchThePrefixAndBelowOnly() {
        assertTrue(BearerAuthenticator.matches("/admin/*", "/admin"));
        assertTrue(BearerAuthenticator.matches("/admin/*", "/admin/"));
        assertTrue(BearerAuthenticator.matches("/admin/*", "/admin/users/7"));
        assertFalse(BearerAuthenticator.matches("/admin/*", "/administrator"));
        assertFalse(BearerAuthenticator.matches("/admin/*", "/api/admin"));
    }

    @Test
    void exactExtensionAndDefaultPatterns() {
        assertTrue(BearerAuthenticator.matches("/report", "/report"));
        assertFalse(BearerAuthenticator.matches("/report", "/report/x"));
        assertTrue(BearerAuthenticator.matches("/report", "/report/"), "a trailing slash reaches the same resource");
        assertTrue(BearerAuthenticator.matches("*.pdf", "/files/a.pdf"));
        assertFalse(BearerAuthenticator.matches("*.pdf", "/files/a.pdf.txt"));
        assertTrue(BearerAuthenticator.matches("/", "/anything"));
    }
}
