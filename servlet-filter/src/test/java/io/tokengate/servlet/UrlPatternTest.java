package io.tokengate.servlet;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The servlet URL-pattern matching behind tokengate.required-scopes. */
class UrlPatternTest {
    @Test
    void prefixPatternsMatchThePrefixAndBelowOnly() {
        assertTrue(ScopeRules.matches("/admin/*", "/admin"));
        assertTrue(ScopeRules.matches("/admin/*", "/admin/"));
        assertTrue(ScopeRules.matches("/admin/*", "/admin/users/7"));
        assertFalse(ScopeRules.matches("/admin/*", "/administrator"));
        assertFalse(ScopeRules.matches("/admin/*", "/api/admin"));
    }

    @Test
    void exactExtensionAndDefaultPatterns() {
        assertTrue(ScopeRules.matches("/report", "/report"));
        assertFalse(ScopeRules.matches("/report", "/report/x"));
        assertTrue(ScopeRules.matches("/report", "/report/"), "a trailing slash reaches the same resource");
        assertTrue(ScopeRules.matches("*.pdf", "/files/a.pdf"));
        assertFalse(ScopeRules.matches("*.pdf", "/files/a.pdf.txt"));
        assertTrue(ScopeRules.matches("/", "/anything"));
    }
}
