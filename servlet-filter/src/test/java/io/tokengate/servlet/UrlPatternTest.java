package io.tokengate.servlet;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The servlet URL-pattern matching behind tokengate.required-scopes. */
class UrlPatternTest {
    @Test
    void prefixPatternsMatchThePrefixAndBelowOnly() {
        assertTrue(BearerTokenFilter.matches("/admin/*", "/admin"));
        assertTrue(BearerTokenFilter.matches("/admin/*", "/admin/"));
        assertTrue(BearerTokenFilter.matches("/admin/*", "/admin/users/7"));
        assertFalse(BearerTokenFilter.matches("/admin/*", "/administrator"));
        assertFalse(BearerTokenFilter.matches("/admin/*", "/api/admin"));
    }

    @Test
    void exactExtensionAndDefaultPatterns() {
        assertTrue(BearerTokenFilter.matches("/report", "/report"));
        assertFalse(BearerTokenFilter.matches("/report", "/report/x"));
        assertTrue(BearerTokenFilter.matches("/report", "/report/"), "a trailing slash reaches the same resource");
        assertTrue(BearerTokenFilter.matches("*.pdf", "/files/a.pdf"));
        assertFalse(BearerTokenFilter.matches("*.pdf", "/files/a.pdf.txt"));
        assertTrue(BearerTokenFilter.matches("/", "/anything"));
    }
}
