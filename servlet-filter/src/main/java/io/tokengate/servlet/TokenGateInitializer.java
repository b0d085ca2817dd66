package io.tokengate.servlet;

import java.util.ServiceLoader;
import java.util.Set;

import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;

import io.tokengate.core.config.ConfigurationException;
import io.tokengate.core.config.Setting;
import io.tokengate.core.config.Settings;
import io.tokengate.core.config.SettingsSource;

/**
 * Found through {@code META-INF/services} in every web application that has the jar. Without the context-param
 * {@code tokengate.issuer} it does nothing. With it, it adds {@link TokenGateListener}, which starts TokenGate
 * once for the application, and, when {@code tokengate.endpoints} is {@code true}, registers the endpoint
 * servlets at their configured paths.
 */
public final class TokenGateInitializer implements ServletContainerInitializer {
    private static final System.Logger LOG = System.getLogger(TokenGateInitializer.class.getName());
    /** Context attribute: the names of the servlets serving TokenGate's OAuth endpoints (token, revocation, introspection, JWKS, metadata). */
    private static final String OAUTH_ENDPOINTS_ATTRIBUTE = "io.tokengate.OAuthEndpointServlets";

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) throws jakarta.servlet.ServletException {
        if (ServiceLoader.load(TokenGateHost.class, context.getClassLoader()).stream().findAny().isPresent()) {
            return; // a container integration is in the application: its initializer starts TokenGate
        }
        start(context, TokenGateHost.SERVLET);
    }

    /**
     * Starts TokenGate for the application when its settings name an issuer (or the host requires it): adds the
     * listener that builds it, registers the endpoint servlets when {@code tokengate.endpoints} is true. Called
     * from a {@link ServletContainerInitializer} only.
     */
    public static void start(ServletContext context, TokenGateHost host) throws jakarta.servlet.ServletException {
        SettingsSource source = host.settings(context);
        if (source.get(Setting.ISSUER.key()) == null && !host.required(context)) {
            for (jakarta.servlet.FilterRegistration f : context.getFilterRegistrations().values()) {
                if (BearerTokenFilter.class.getName().equals(f.getClassName())) {
                    // declared but not configured: refuse to start rather than run the application unprotected
                    throw new jakarta.servlet.ServletException("TG-0001 TokenGate configuration: " + Setting.ISSUER.key()
                            + ": is required (the filter " + f.getName() + " is declared)");
                }
            }
            return;
        }
        Settings settings = new Settings(source);
        try {
            settings.required(Setting.ISSUER);
            checkWebSettings(settings, context); // registrations are visible here, not from a programmatic listener
            context.addListener(new TokenGateListener(source, host));
            if (settings.bool(Setting.ENDPOINTS, false)) {
                register(context, "tokengate-token", endpoint(EndpointServlet.Kind.TOKEN), settings.get(Setting.TOKEN_PATH, "/oauth/token"));
                register(context, "tokengate-revocation", endpoint(EndpointServlet.Kind.REVOCATION),
                        settings.get(Setting.REVOCATION_PATH, "/oauth/revoke"));
                register(context, "tokengate-introspection", endpoint(EndpointServlet.Kind.INTROSPECTION),
                        settings.get(Setting.INTROSPECTION_PATH, "/oauth/introspect"));
                register(context, "tokengate-jwks", new JwksServlet(), settings.get(Setting.JWKS_PATH, "/oauth/jwks"));
                register(context, "tokengate-metadata", new MetadataServlet(), MetadataServlet.PATH);
            }
            host.onStartup(context, settings);
            context.setAttribute(OAUTH_ENDPOINTS_ATTRIBUTE, endpointServletNames(context));
        } catch (ConfigurationException e) {
            LOG.log(System.Logger.Level.ERROR, e.getMessage());
            throw new jakarta.servlet.ServletException(e.getMessage(), e); // fails the deployment, once
        }
    }

    /**
     * Checks, once at start-up, every setting read later by the filter and the servlets, so none of them can fail
     * per request; and warns when the issuer's path is not the application's (the metadata would advertise URLs
     * that do not exist).
     */
    static void checkWebSettings(Settings settings, ServletContext context) {
        HttpSettings.read(settings, context.getContextPath());
        for (jakarta.servlet.FilterRegistration f : context.getFilterRegistrations().values()) {
            if (BearerTokenFilter.class.getName().equals(f.getClassName())) {
                java.util.Map<String, String> own = f.getInitParameters();
                BearerAuthenticator.Config.read(new Settings(SettingsSource.of(own).orElse(settings.source())));
            }
        }
        for (jakarta.servlet.ServletRegistration r : context.getServletRegistrations().values()) {
            if (EndpointServlet.class.getName().equals(r.getClassName())
                    && EndpointServlet.kindOf(r.getInitParameter(EndpointServlet.KIND_PARAMETER)) == null) {
                throw new ConfigurationException(Setting.ENDPOINTS, "servlet " + r.getName() + " needs the init-param "
                        + EndpointServlet.KIND_PARAMETER + " = token, revocation or introspection");
            }
        }
        String path = java.net.URI.create(settings.required(Setting.ISSUER)).getPath();
        if (!(path == null ? "" : path.replaceAll("/$", "")).equals(context.getContextPath())) {
            LOG.log(System.Logger.Level.WARNING, "TG-0303 the issuer {0} does not end in the application path {1}: the metadata advertises"
                    + " endpoint URLs under the issuer", settings.get(Setting.ISSUER), context.getContextPath());
        }
    }

    /** The servlets of TokenGate's OAuth endpoints, registered here or declared in web.xml. */
    private static java.util.Set<String> endpointServletNames(ServletContext context) {
        java.util.Set<String> classes = java.util.Set.of(EndpointServlet.class.getName(), JwksServlet.class.getName(),
                MetadataServlet.class.getName());
        java.util.Set<String> names = new java.util.HashSet<>();
        for (ServletRegistration r : context.getServletRegistrations().values()) {
            if (classes.contains(r.getClassName())) {
                names.add(r.getName());
            }
        }
        return java.util.Set.copyOf(names);
    }

    /**
     * The servlet names of the application's OAuth endpoints — token, revocation, introspection, JWKS, metadata —
     * which the bearer check leaves alone (empty before start-up).
     */
    public static java.util.Set<String> oauthEndpoints(ServletContext context) {
        Object names = context.getAttribute(OAUTH_ENDPOINTS_ATTRIBUTE);
        @SuppressWarnings("unchecked")
        java.util.Set<String> set = names instanceof java.util.Set ? (java.util.Set<String>) names : java.util.Set.of();
        return set;
    }

    private static EndpointServlet endpoint(EndpointServlet.Kind kind) {
        return new EndpointServlet(kind);
    }

    /** Registers a servlet at one path, loaded at start-up; returns null when the application declared one of that name. */
    public static ServletRegistration.Dynamic register(ServletContext context, String name, jakarta.servlet.Servlet servlet, String path) {
        ServletRegistration.Dynamic r = context.addServlet(name, servlet);
        if (r != null) { // null: the application declared a servlet of that name itself
            r.addMapping(path);
            r.setLoadOnStartup(1);
            if (servlet instanceof EndpointServlet) {
                r.setInitParameter(EndpointServlet.KIND_PARAMETER, name.substring("tokengate-".length()));
            }
        }
        return r;
    }
}
