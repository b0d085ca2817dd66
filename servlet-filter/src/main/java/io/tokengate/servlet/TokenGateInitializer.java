package io.tokengate.servlet;

import java.lang.System.Logger.Level;
import java.net.URI;
import java.util.HashSet;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;

import jakarta.servlet.FilterRegistration;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;

import io.tokengate.core.config.ConfigurationException;
import io.tokengate.core.config.Setting;
import io.tokengate.core.config.Settings;
import io.tokengate.core.config.SettingsSource;
import io.tokengate.core.resource.ResourceServer;

/**
 * Found through {@code META-INF/services} in every web application that has the jar. Without the context-param
 * {@code tokengate.issuer} it does nothing. With it, it adds {@link TokenGateListener}, which starts TokenGate
 * once for the application, and, when {@code tokengate.endpoints} is {@code true}, registers the endpoint
 * servlets at their configured paths. With {@code tokengate.keys.source=issuer} the application is a resource server:
 * the listener starts a {@link ResourceServer} instead, and there are no endpoints.
 */
public final class TokenGateInitializer implements ServletContainerInitializer {
    private static final System.Logger LOG = System.getLogger(TokenGateInitializer.class.getName());
    /** Context attribute: the names of the servlets serving TokenGate's OAuth endpoints (token, revocation, introspection, JWKS, metadata). */
    /** The name of the authorization endpoint's servlet, which the EE extension registers; the metadata names it when it is there. */
    public static final String AUTHORIZATION_SERVLET = "tokengate-authorization";
    private static final String OAUTH_ENDPOINTS_ATTRIBUTE = "io.tokengate.OAuthEndpointServlets";
    private static final Set<String> ENDPOINT_CLASSES = Set.of(TokenServlet.class.getName(), RevocationServlet.class.getName(),
            IntrospectionServlet.class.getName(), JwksServlet.class.getName(), MetadataServlet.class.getName(),
            RevocationFeedServlet.class.getName());

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) throws ServletException {
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
    public static void start(ServletContext context, TokenGateHost host) throws ServletException {
        SettingsSource source = host.settings(context);
        Settings settings = new Settings(source);
        try {
            if (!settings.isSet(Setting.ISSUER) && !host.required(context)) {
                for (FilterRegistration f : context.getFilterRegistrations().values()) {
                    if (BearerTokenFilter.class.getName().equals(f.getClassName())) {
                        // declared but not configured: refuse to start rather than run the application unprotected
                        throw new ConfigurationException(Setting.ISSUER, "is required (the filter " + f.getName() + " is declared)");
                    }
                }
                return;
            }
            settings.required(Setting.ISSUER);
            if (ResourceServer.isConfiguredBy(settings) && settings.bool(ServletSetting.ENDPOINTS)) {
                throw new ConfigurationException(ServletSetting.ENDPOINTS, "must be false for a resource server"
                        + " (tokengate.keys.source=issuer): the issuer's endpoints are the issuer's");
            }
            HttpSettings http = checkWebSettings(settings, context); // registrations are visible here, not from a programmatic listener
            context.addListener(new TokenGateListener(source, host));
            if (settings.bool(ServletSetting.ENDPOINTS)) {
                register(context, "tokengate-token", new TokenServlet(), http.paths().token());
                register(context, "tokengate-revocation", new RevocationServlet(), http.paths().revocation());
                register(context, "tokengate-introspection", new IntrospectionServlet(), http.paths().introspection());
                register(context, "tokengate-jwks", new JwksServlet(), http.paths().jwks());
                register(context, "tokengate-revocation-feed", new RevocationFeedServlet(), http.paths().revocationFeed());
                register(context, "tokengate-metadata", new MetadataServlet(), HttpSettings.METADATA_PATH);
            }
            host.onStartup(context, settings);
            context.setAttribute(OAUTH_ENDPOINTS_ATTRIBUTE, endpointServletNames(context));
        } catch (ConfigurationException e) {
            LOG.log(Level.ERROR, e.getMessage(), e.getCause()); // with its cause, for the administrator
            throw new ServletException(e.getMessage(), e); // fails the deployment, once
        }
    }

    /**
     * Checks, once at start-up, every setting read later by the filter and the servlets, so none of them can fail
     * per request; and warns when the issuer's path is not the application's (the metadata would advertise URLs
     * that do not exist).
     */
    static HttpSettings checkWebSettings(Settings settings, ServletContext context) {
        HttpSettings http = HttpSettings.read(settings, context.getContextPath());
        for (FilterRegistration f : context.getFilterRegistrations().values()) {
            if (BearerTokenFilter.class.getName().equals(f.getClassName())) {
                Map<String, String> own = f.getInitParameters();
                BearerAuthenticator.check(new Settings(SettingsSource.of(own).orElse(settings.source())));
            }
        }
        String path = URI.create(settings.required(Setting.ISSUER)).getPath();
        if (!ResourceServer.isConfiguredBy(settings) && !(path == null ? "" : path.replaceAll("/$", "")).equals(context.getContextPath())) {
            ServletLog.ISSUER_OUTSIDE_APPLICATION.log(LOG, settings.get(Setting.ISSUER), context.getContextPath());
        }
        return http;
    }

    /** The servlets of TokenGate's OAuth endpoints, registered here or declared in web.xml. */
    private static Set<String> endpointServletNames(ServletContext context) {
        Set<String> names = new HashSet<>();
        for (ServletRegistration r : context.getServletRegistrations().values()) {
            if (ENDPOINT_CLASSES.contains(r.getClassName())) {
                names.add(r.getName());
            }
        }
        return Set.copyOf(names);
    }

    /**
     * The servlet names of the application's OAuth endpoints — token, revocation, introspection, JWKS, metadata —
     * which the bearer check leaves alone (empty before start-up).
     */
    public static Set<String> oauthEndpoints(ServletContext context) {
        Object names = context.getAttribute(OAUTH_ENDPOINTS_ATTRIBUTE);
        @SuppressWarnings("unchecked")
        Set<String> set = names instanceof Set ? (Set<String>) names : Set.of();
        return set;
    }

    /** Registers a servlet at one path, loaded at start-up; returns null when the application declared one of that name. */
    public static ServletRegistration.Dynamic register(ServletContext context, String name, Servlet servlet, String path) {
        ServletRegistration.Dynamic r = context.addServlet(name, servlet);
        if (r != null) { // null: the application declared a servlet of that name itself
            r.addMapping(path);
            r.setLoadOnStartup(1);
        }
        return r;
    }
}
