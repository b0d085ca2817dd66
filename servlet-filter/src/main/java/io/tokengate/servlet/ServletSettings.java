package io.tokengate.servlet;

import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;

import io.tokengate.core.config.SettingsSource;

/** Settings from servlet parameters: a filter's init-params first, then the context-params. */
final class ServletSettings {
    private ServletSettings() {
    }

    static SettingsSource of(ServletContext context) {
        return context::getInitParameter;
    }

    static SettingsSource of(FilterConfig filter) {
        SettingsSource own = filter::getInitParameter;
        return own.orElse(of(filter.getServletContext()));
    }
}
