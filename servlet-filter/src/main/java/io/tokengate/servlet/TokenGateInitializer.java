package io.tokengate.servlet;

import java.util.Set;

import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;

import io.tokengate.core.config.Setting;
import io.tokengate.core.config.Settings;

/**
 * Found through {@code META-INF/services} in every web application that has the jar. Without the context-param
 * {@code tokengate.issuer} it does nothing. With it, it adds {@link TokenGateListener}, which starts TokenGate
 * once for the application, and, when {@code tokengate.endpoints} is {@code true}, registers the endpoint
 * servlets at their configured paths.
 */
public final class TokenGateInitializer implements ServletContainerInitializer {

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        if (context.getInitParameter(Setting.ISSUER.key()) == null) {
            return;
        }
        context.addListener(TokenGateListener.class);
        Settings settings = new Settings(ServletSettings.of(context));
        if (settings.bool(Setting.ENDPOINTS, false)) {
            register(context, "tokengate-token", new EndpointServlet(EndpointServlet.Kind.TOKEN), settings.get(Setting.TOKEN_PATH, "/oauth/token"));
            register(context, "tokengate-revocation", new EndpointServlet(EndpointServlet.Kind.REVOCATION),
                    settings.get(Setting.REVOCATION_PATH, "/oauth/revoke"));
            register(context, "tokengate-introspection", new EndpointServlet(EndpointServlet.Kind.INTROSPECTION),
                    settings.get(Setting.INTROSPECTION_PATH, "/oauth/introspect"));
            register(context, "tokengate-jwks", new JwksServlet(), settings.get(Setting.JWKS_PATH, "/oauth/jwks"));
            register(context, "tokengate-metadata", new MetadataServlet(), MetadataServlet.PATH);
        }
    }

    private static void register(ServletContext context, String name, jakarta.servlet.Servlet servlet, String path) {
        ServletRegistration.Dynamic r = context.addServlet(name, servlet);
        if (r != null) { // null: the application declared a servlet of that name itself
            r.addMapping(path);
        }
    }
}
