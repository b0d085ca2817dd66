package io.tokengate.servlet;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import io.tokengate.core.config.ConfigurationException;
import io.tokengate.core.validation.AccessTokenPrincipal;

/** The roles of a token's caller: its groups claim, plus the roles {@code tokengate.scope-roles} grants for its scopes. */
final class RoleMapper {
    private final Map<String, Set<String>> rolesByScope;

    private RoleMapper(Map<String, Set<String>> rolesByScope) {
        this.rolesByScope = Map.copyOf(rolesByScope);
    }

    /** {@code orders.write=order-clerk, admin=administrator}, or null for none. */
    static RoleMapper parse(String value) {
        Map<String, Set<String>> map = new HashMap<>();
        if (value != null) {
            for (String entry : value.split(",")) {
                if (entry.isBlank()) {
                    continue;
                }
                int eq = entry.indexOf('=');
                if (eq < 1 || entry.substring(eq + 1).isBlank()) {
                    throw new ConfigurationException(ServletSetting.SCOPE_ROLES, "entry '" + entry.trim() + "' is not scope=role");
                }
                map.computeIfAbsent(entry.substring(0, eq).trim(), k -> new LinkedHashSet<>()).add(entry.substring(eq + 1).trim());
            }
        }
        return new RoleMapper(map);
    }

    Set<String> roles(AccessTokenPrincipal token) {
        if (rolesByScope.isEmpty()) {
            return token.groups();
        }
        Set<String> roles = new LinkedHashSet<>(token.groups());
        for (String scope : token.scopes()) {
            Set<String> more = rolesByScope.get(scope);
            if (more != null) {
                roles.addAll(more);
            }
        }
        return Collections.unmodifiableSet(roles);
    }
}
