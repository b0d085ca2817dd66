package io.tokengate.ee;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import javax.cache.CacheManager;
import javax.naming.InitialContext;
import javax.naming.NamingException;

import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.servlet.HttpConstraintElement;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.ServletSecurityElement;
import jakarta.servlet.annotation.ServletSecurity;

import io.tokengate.core.TokenCheck;
import io.tokengate.core.TokenGate;
import io.tokengate.core.config.ConfigurationException;
import io.tokengate.core.config.Settings;
import io.tokengate.core.config.SettingsSource;
import io.tokengate.core.config.TokenGateConfig;
import io.tokengate.core.event.TokenEvent;
import io.tokengate.core.revocation.InMemoryRevocationRegistry;
import io.tokengate.servlet.BearerAuthenticator;
import io.tokengate.servlet.ServletSetting;
import io.tokengate.servlet.TokenGateHost;
import io.tokengate.servlet.TokenGateInitializer;

/**
 * What one Jakarta EE application adds to TokenGate, and its state: settings from MicroProfile Config,
 * context-params and {@link TokenGateDefinition}; the password grant through the identity stores; CDI events; a
 * cluster-wide revocation registry over JCache when the server has one; scheduled cleanup; the hand-off and
 * administration endpoints; the mechanism's bearer check. Made per application by {@link EeInitializer}; listed as
 * the {@link TokenGateHost} of the jar so the servlet filter's own initializer steps aside.
 */
public final class EeHost implements TokenGateHost {
    private static final String EXECUTOR = "java:comp/DefaultManagedScheduledExecutorService";
    private static final System.Logger LOG = System.getLogger(EeHost.class.getName());

    private final Class<?> annotated;
    private final boolean mechanism;
    private JCacheRevocationRegistry jcache;
    private JCacheDPoPReplayCache dpopProofs;
    private ScheduledFuture<?> cleanup;

    /** For the service declaration only: an application's host is made by {@link EeInitializer}. */
    public EeHost() {
        this(null, false);
    }

    EeHost(Class<?> annotated, boolean mechanism) {
        this.annotated = annotated;
        this.mechanism = mechanism;
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
        registryKind(settings);
        if (mechanism) {
            BearerAuthenticator.check(settings);
            EeLog.MECHANISM.log(LOG, app(context));
        }
        if (settings.bool(ServletSetting.ENDPOINTS)) {
            // the hand-off is for applications whose mechanism is the server's login (FORM, OIDC...); with TokenGate as
            // the mechanism the only "container login" would be a bearer token, which must not mint new families
            ServletRegistration.Dynamic handoff = mechanism ? null : TokenGateInitializer.register(context, "tokengate-handoff",
                    new HandoffServlet(), settings.path(EeSetting.HANDOFF_PATH));
            if (handoff != null) { // any authenticated caller: the container makes FORM callers log in first
                handoff.setServletSecurity(new ServletSecurityElement(new HttpConstraintElement(ServletSecurity.TransportGuarantee.NONE, "**")));
            }
            // where TokenGate is the mechanism, the application has no login page of its own: TokenGate's signs the user in
            String loginPath = mechanism ? settings.path(EeSetting.LOGIN_PATH) : null;
            TokenGateInitializer.register(context, TokenGateInitializer.AUTHORIZATION_SERVLET, new AuthorizationServlet(loginPath),
                    settings.path(EeSetting.AUTHORIZATION_PATH));
            if (mechanism) {
                TokenGateInitializer.register(context, "tokengate-login", new LoginServlet(settings.get(EeSetting.LOGIN_PAGE)), loginPath);
            }
            ServletRegistration.Dynamic r = TokenGateInitializer.register(context, "tokengate-admin", new AdminServlet(),
                    settings.path(EeSetting.ADMIN_PATH) + "/*");
            if (r != null) {
                String role = settings.required(EeSetting.ADMIN_ROLE);
                context.declareRoles(role);
                r.setServletSecurity(new ServletSecurityElement(new HttpConstraintElement(ServletSecurity.TransportGuarantee.NONE, role)));
            }
        }
    }

    private static String registryKind(Settings settings) {
        String kind = settings.required(EeSetting.REVOCATION_REGISTRY).toLowerCase(Locale.ROOT);
        if (!Set.of("auto", "jcache", "memory").contains(kind)) {
            throw new ConfigurationException(EeSetting.REVOCATION_REGISTRY, "'" + kind + "' is not auto, jcache or memory");
        }
        return kind;
    }

    @Override
    public void configure(TokenGate.Builder builder, Settings settings, ServletContext context) {
        if (settings.get(ServletSetting.CREDENTIAL_VERIFIER) == null) {
            builder.credentialVerifier(new IdentityStoreVerifier());
        }
        BeanManager beans = CDI.current().getBeanManager();
        builder.events(event -> beans.getEvent().select(TokenEvent.class).fire(event));

        TokenGateConfig config = builder.config();
        String kind = registryKind(settings);
        String why = "tokengate.revocation-registry=memory";
        if (!kind.equals("memory")) {
            try {
                CacheManager manager = JCacheRevocationRegistry.cacheManager(context.getClassLoader(), kind.equals("jcache"));
                if (manager == null) {
                    why = "the server publishes no JCache cache manager (" + String.join(", ", JCacheRevocationRegistry.SERVER_CACHE_MANAGERS)
                            + "; on Payara: clustering is off)";
                } else {
                    jcache = JCacheRevocationRegistry.open(manager, config.issuer(), config.maxTokenLifetime(), config.clockSkew(),
                            builder.clock(), executor());
                    dpopProofs = JCacheDPoPReplayCache.open(manager, config.issuer(), config.dpop(), config.clockSkew(), builder.clock());
                }
            } catch (ConfigurationException e) {
                throw e;
            } catch (RuntimeException | LinkageError e) {
                if (kind.equals("jcache")) {
                    throw new ConfigurationException(EeSetting.REVOCATION_REGISTRY, "JCache is not available: " + e, e);
                }
                why = "no JCache (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
            }
            if (jcache == null && kind.equals("jcache")) {
                throw new ConfigurationException(EeSetting.REVOCATION_REGISTRY, "JCache is not available: " + why);
            }
        }
        if (jcache != null) {
            builder.revocation(jcache).dpopReplayCache(dpopProofs);
            EeLog.REVOCATIONS_WHERE.log(LOG, app(context), "shared by the cluster through JCache cache " + jcache.describe()
                    + "; used DPoP proofs too, through JCache cache " + dpopProofs.cacheName());
        } else {
            builder.revocation(new InMemoryRevocationRegistry(builder.clock(), config.maxTokenLifetime(), config.clockSkew()));
            EeLog.REVOCATIONS_WHERE.log(LOG, app(context), "kept in memory on this server only: " + why);
        }
    }

    @Override
    public void started(TokenCheck check, ServletContext context) {
        if (mechanism) {
            CDI.current().select(MechanismAuthenticator.class).get().set(BearerAuthenticator.create(check.settings(),
                    check, TokenGateInitializer.oauthEndpoints(context)));
        }
        if (check instanceof TokenGate tokenGate) { // a resource server has no refresh tokens to clean up
            scheduleCleanup(tokenGate, context);
        }
    }

    private void scheduleCleanup(TokenGate tokenGate, ServletContext context) {
        Cleanup task = Cleanup.read(tokenGate.settings()).forTokenGate(tokenGate);
        if (task.interval().isZero()) {
            EeLog.CLEANUP_OFF.log(LOG, app(context));
            return;
        }
        ScheduledExecutorService executor = executor();
        if (executor == null) {
            EeLog.NO_CLEANUP_EXECUTOR.log(LOG, EXECUTOR, app(context));
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
    static String app(ServletContext context) {
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
