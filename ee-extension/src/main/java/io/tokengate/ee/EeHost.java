package io.tokengate.ee;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import javax.naming.InitialContext;
import javax.naming.NamingException;

import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.servlet.HttpConstraintElement;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.ServletSecurityElement;
import jakarta.servlet.annotation.HandlesTypes;

import io.tokengate.core.TokenGate;
import io.tokengate.core.config.ConfigurationException;
import io.tokengate.core.config.Setting;
import io.tokengate.core.config.Settings;
import io.tokengate.core.config.SettingsSource;
import io.tokengate.core.event.TokenEvent;
import io.tokengate.core.revocation.InMemoryRevocationRegistry;
import io.tokengate.core.validation.AccessTokenValidator;
import io.tokengate.servlet.BearerAuthenticator;
import io.tokengate.servlet.TokenGateHost;
import io.tokengate.servlet.TokenGateInitializer;

/**
 * TokenGate in a Jakarta EE application: settings from MicroProfile Config, context-params and
 * {@link TokenGateDefinition}; the password grant through the identity stores; CDI events; a cluster-wide
 * revocation registry over JCache when the server has one; scheduled cleanup; the hand-off and administration
 * endpoints. Found as a {@link ServletContainerInitializer} (it replaces the servlet filter's own) and listed as
 * the {@link TokenGateHost} of the application.
 */
@HandlesTypes(TokenGateDefinition.class)
public final class EeHost implements ServletContainerInitializer, TokenGateHost {
    static final String AUTHENTICATOR_ATTRIBUTE = "io.tokengate.ee.BearerAuthenticator";
    private static final String EXECUTOR = "java:comp/DefaultManagedScheduledExecutorService";
    private static final System.Logger LOG = System.getLogger(EeHost.class.getName());

    private Class<?> annotated;
    private boolean mechanism;
    private JCacheRevocationRegistry jcache;
    private ScheduledFuture<?> cleanup;

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) throws ServletException {
        EeHost host = new EeHost();
        if (classes != null) {
            for (Class<?> c : classes) {
                if (c.isAnnotationPresent(TokenGateDefinition.class)) {
                    if (host.annotated != null) {
                        throw new ServletException("TG-0001 TokenGate configuration: @TokenGateDefinition is on both " + host.annotated.getName()
                                + " and " + c.getName() + "; keep one");
                    }
                    host.annotated = c;
                }
            }
        }
        host.mechanism = host.annotated != null || EeSettings.mechanismEnabled(context.getClassLoader());
        try {
            TokenGateInitializer.start(context, host);
        } catch (ConfigurationException e) {
            LOG.log(Level.ERROR, e.getMessage());
            throw new ServletException(e.getMessage(), e);
        }
    }

    @Override
    public SettingsSource settings(ServletContext context) {
        return EeSettings.of(context, annotated);
    }

    @Override
    public boolean required(ServletContext context) {
        return mechanism;
    }

    @Override
    public void onStartup(ServletContext context, Settings settings) {
        Cleanup.read(settings); // fail the deployment now, not at the first run or after resources are open
        registry(settings);
        BearerAuthenticator.check(settings);
        if (mechanism) {
            LOG.log(Level.INFO, "TG-0400 TokenGate is the authentication mechanism of {0}", app(context));
        }
        if (settings.bool(Setting.ENDPOINTS, false)) {
            // the hand-off is for applications whose mechanism is the server's login (FORM, OIDC...); with TokenGate as
            // the mechanism the only "container login" would be a bearer token, which must not mint new families
            ServletRegistration.Dynamic handoff = mechanism ? null : TokenGateInitializer.register(context, "tokengate-handoff",
                    new HandoffServlet(), path(settings, Setting.HANDOFF_PATH, "/oauth/handoff"));
            if (handoff != null) { // any authenticated caller: the container makes FORM callers log in first
                handoff.setServletSecurity(new ServletSecurityElement(new HttpConstraintElement(
                        jakarta.servlet.annotation.ServletSecurity.TransportGuarantee.NONE, "**")));
            }
            String admin = path(settings, Setting.ADMIN_PATH, "/tokengate/admin");
            ServletRegistration.Dynamic r = TokenGateInitializer.register(context, "tokengate-admin", new AdminServlet(), admin + "/*");
            if (r != null) {
                String role = settings.get(Setting.ADMIN_ROLE, "tokengate-admin");
                context.declareRoles(role);
                r.setServletSecurity(new ServletSecurityElement(new HttpConstraintElement(
                        jakarta.servlet.annotation.ServletSecurity.TransportGuarantee.NONE, role)));
            }
        }
    }

    private static String path(Settings settings, Setting setting, String fallback) {
        String p = settings.get(setting, fallback);
        if (!p.startsWith("/") || p.contains("*") || (p.endsWith("/") && p.length() > 1)) {
            throw new ConfigurationException(setting, "'" + p + "' must be a path starting with / (no wildcards, no trailing /)");
        }
        return p;
    }

    private static String registry(Settings settings) {
        String kind = settings.get(Setting.REVOCATION_REGISTRY, "auto").toLowerCase(java.util.Locale.ROOT);
        if (!Set.of("auto", "jcache", "memory").contains(kind)) {
            throw new ConfigurationException(Setting.REVOCATION_REGISTRY, "'" + kind + "' is not auto, jcache or memory");
        }
        return kind;
    }

    @Override
    public void configure(TokenGate.Builder builder, Settings settings, ServletContext context) {
        if (settings.get(Setting.CREDENTIAL_VERIFIER) == null) {
            builder.credentialVerifier(new IdentityStoreVerifier());
        }
        BeanManager beans = CDI.current().getBeanManager();
        builder.events(event -> beans.getEvent().select(TokenEvent.class).fire(event));

        Duration maxLifetime = settings.duration(Setting.MAX_TOKEN_LIFETIME, AccessTokenValidator.DEFAULT_MAX_TOKEN_LIFETIME);
        Duration skew = settings.duration(Setting.CLOCK_SKEW, AccessTokenValidator.DEFAULT_CLOCK_SKEW);
        String kind = registry(settings);
        String why = "tokengate.revocation-registry=memory";
        if (!kind.equals("memory")) {
            try {
                javax.cache.CacheManager manager = JCacheRevocationRegistry.cacheManager(context.getClassLoader(), kind.equals("jcache"));
                if (manager == null) {
                    why = "the server publishes no JCache cache manager (" + String.join(", ", JCacheRevocationRegistry.SERVER_CACHE_MANAGERS)
                            + "; on Payara: clustering is off)";
                } else {
                    jcache = JCacheRevocationRegistry.open(manager, settings.required(Setting.ISSUER), maxLifetime, skew, executor());
                }
            } catch (ConfigurationException e) {
                throw e;
            } catch (RuntimeException | LinkageError e) {
                if (kind.equals("jcache")) {
                    throw new ConfigurationException(Setting.REVOCATION_REGISTRY, "JCache is not available: " + e);
                }
                why = "no JCache (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
            }
            if (jcache == null && kind.equals("jcache")) {
                throw new ConfigurationException(Setting.REVOCATION_REGISTRY, "JCache is not available: " + why);
            }
        }
        if (jcache != null) {
            builder.revocation(jcache);
            LOG.log(Level.INFO, "TG-0401 revocations of {0} are shared by the cluster through JCache cache {1}", app(context),
                    jcache.describe());
        } else {
            builder.revocation(new InMemoryRevocationRegistry(java.time.Clock.systemUTC(), maxLifetime, skew));
            LOG.log(Level.INFO, "TG-0401 revocations of {0} are kept in memory on this server only: {1}", app(context), why);
        }
    }

    @Override
    public void started(TokenGate tokenGate, ServletContext context) {
        context.setAttribute(AUTHENTICATOR_ATTRIBUTE, BearerAuthenticator.create(tokenGate.settings(), tokenGate.validator(),
                TokenGateInitializer.oauthEndpoints(context)));
        Cleanup task = Cleanup.read(tokenGate.settings()).forTokenGate(tokenGate);
        if (task.interval().isZero()) {
            LOG.log(Level.INFO, "TG-0404 scheduled cleanup of {0} is off (tokengate.cleanup-interval=PT0S)", app(context));
            return;
        }
        ScheduledExecutorService executor = executor();
        if (executor == null) {
            LOG.log(Level.WARNING, "TG-0404 no {0}: expired refresh tokens of {1} are not cleaned up", EXECUTOR, app(context));
            return;
        }
        long millis = task.interval().toMillis();
        cleanup = executor.scheduleWithFixedDelay(task, millis, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stopped(ServletContext context) {
        if (cleanup != null) {
            cleanup.cancel(false);
        }
        if (jcache != null) {
            jcache.close();
        }
    }

    /** The application's context path for log lines ("/" for the root application). */
    private static String app(ServletContext context) {
        return context.getContextPath().isEmpty() ? "/" : context.getContextPath();
    }

    private static ScheduledExecutorService executor() {
        try {
            return (ScheduledExecutorService) new InitialContext().lookup(EXECUTOR);
        } catch (NamingException | ClassCastException e) {
            return null;
        }
    }
}
