package io.tokengate.servlet;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;

import io.tokengate.core.config.ConfigurationException;

/**
 * {@code tokengate.required-scopes}: the scopes a token needs, per servlet URL pattern, matched on the path the
 * container mapped (decoded, without {@code ;params} or dot segments), so a rule cannot be dodged by spelling the
 * URL differently.
 */
final class ScopeRules {
    private record Rule(String pattern, Set<String> scopes) {
    }

    private final List<Rule> rules;

    private ScopeRules(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** {@code /admin/*=admin; /api/orders/*=orders.read orders.write}, or null for none. */
    static ScopeRules parse(String value) {
        List<Rule> rules = new ArrayList<>();
        if (value != null) {
            for (String entry : value.split(";")) {
                if (entry.isBlank()) {
                    continue;
                }
                int eq = entry.indexOf('=');
                if (eq < 1) {
                    throw new ConfigurationException(ServletSetting.REQUIRED_SCOPES, "entry '" + entry.trim() + "' is not /pattern=scope scope");
                }
                String pattern = entry.substring(0, eq).trim();
                if (!(pattern.startsWith("/") || pattern.startsWith("*."))) {
                    throw new ConfigurationException(ServletSetting.REQUIRED_SCOPES, "'" + pattern + "' is not a servlet URL pattern");
                }
                Set<String> scopes = new LinkedHashSet<>(List.of(entry.substring(eq + 1).trim().split("\\s+")));
                scopes.remove("");
                if (scopes.isEmpty()) {
                    throw new ConfigurationException(ServletSetting.REQUIRED_SCOPES, "entry '" + entry.trim() + "' names no scope");
                }
                rules.add(new Rule(pattern, scopes));
            }
        }
        return new ScopeRules(rules);
    }

    /** The scopes the request's path needs; empty when no rule covers it. */
    Set<String> required(HttpServletRequest request) {
        if (rules.isEmpty()) {
            return Set.of();
        }
        String info = request.getPathInfo();
        String path = request.getServletPath() + (info == null ? "" : info);
        Set<String> required = new LinkedHashSet<>();
        for (Rule rule : rules) {
            if (matches(rule.pattern(), path)) {
                required.addAll(rule.scopes());
            }
        }
        return required;
    }

    /** Servlet URL-pattern matching: exact, {@code /prefix/*}, {@code *.ext}, and {@code /} for everything. */
    static boolean matches(String pattern, String path) {
        if (pattern.equals("/") || pattern.equals("/*")) {
            return true;
        }
        if (pattern.endsWith("/*")) {
            String prefix = pattern.substring(0, pattern.length() - 2);
            return path.equals(prefix) || path.startsWith(prefix + "/");
        }
        if (pattern.startsWith("*.")) {
            return path.endsWith(pattern.substring(1));
        }
        return path.equals(pattern) || path.equals(pattern + "/"); // a trailing slash reaches the same resource
    }
}
