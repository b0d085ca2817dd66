package io.tokengate.servlet;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletException;

import io.tokengate.core.TokenCheck;
import io.tokengate.core.TokenGate;
import io.tokengate.core.client.CredentialVerifier;
import io.tokengate.core.config.ConfigurationException;
import io.tokengate.core.config.Setting;
import io.tokengate.core.config.Settings;
import io.tokengate.core.config.SettingsSource;
import io.tokengate.core.endpoint.OAuthError;
import io.tokengate.core.refresh.DeferredStore;
import io.tokengate.core.refresh.InMemoryRefreshTokenStore;
import io.tokengate.core.refresh.RefreshTokenStore;
import io.tokengate.core.refresh.jpa.JpaStores;
import io.tokengate.core.refresh.jpa.TemporaryDatabase;
import io.tokengate.core.resource.ResourceServer;

/**
 * Starts TokenGate once per web application from its context-params and keeps it as the context attribute
 * {@value #ATTRIBUTE}. A configuration error fails the deployment here, once, with the message naming the key.
 */
public final class TokenGateListener implements ServletContextListener {
    /** Context attribute holding the {@link TokenGate} of the application. */
    public static final String ATTRIBUTE = "io.tokengate.TokenGate";
    /** Context attribute holding the {@link TokenCheck} of the application: its TokenGate, or its ResourceServer. */
    private static final String CHECK_ATTRIBUTE = "io.tokengate.TokenCheck";
    private static final String RESOURCE_SERVER_ATTRIBUTE = "io.tokengate.ResourceServer";
    private static final String STORE_ATTRIBUTE = "io.tokengate.RefreshTokenStore";
    /** How often a store that started without its database tries to open (also the endpoints' Retry-After). */
    static final Duration STORE_RETRY = Duration.ofSeconds(OAuthError.RETRY_AFTER_SECONDS);
    private static final System.Logger LOG = System.getLogger(TokenGateListener.class.getName());

    private final SettingsSource source;
    private final TokenGateHost host;
    private ScheduledExecutorService retries;

    /** For a web.xml declaration: settings from the context-params. */
    public TokenGateListener() {
        this(null, TokenGateHost.SERVLET);
    }

    TokenGateListener(SettingsSource source, TokenGateHost host) {
        this.source = source;
        this.host = host;
    }

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        try {
            SettingsSource from = webInf(source != null ? source : host.settings(context), context);
            Settings settings = new Settings(from);
            if (ResourceServer.isConfiguredBy(settings)) {
                startResourceServer(from, context);
                return;
            }
            RefreshTokenStore store = store(settings, context);
            TokenGate tokenGate;
            try {
                TokenGate.Builder builder = TokenGate.builder(from).store(store).credentialVerifier(verifier(settings, context));
                host.configure(builder, settings, context);
                tokenGate = builder.build();
                context.setAttribute(ATTRIBUTE, tokenGate);
                context.setAttribute(CHECK_ATTRIBUTE, tokenGate);
                context.setAttribute(HttpSettings.ATTRIBUTE, HttpSettings.read(tokenGate.settings(), context.getContextPath()));
                host.started(tokenGate, context);
            } catch (RuntimeException e) {
                contextDestroyed(event); // stop the store's retries and close what was opened above
                throw e;
            }
            ServletLog.STARTED.log(LOG,
                    context.getContextPath().isEmpty() ? "/" : context.getContextPath(),
                    tokenGate.config().issuer(), tokenGate.keyRing().current().active().kid());
        } catch (ConfigurationException e) {
            LOG.log(Level.ERROR, e.getMessage(), e.getCause()); // with its cause, for the administrator
            throw e; // fails the deployment, once
        }
    }

    /**
     * A resource server ({@code tokengate.keys.source=issuer}): the trusted issuer's keys and revocation feed, read
     * before the first request (each within its timeout; what did not answer is retried in the background).
     */
    private void startResourceServer(SettingsSource from, ServletContext context) {
        ResourceServer server = ResourceServer.create(from, Clock.systemUTC());
        try {
            context.setAttribute(HttpSettings.ATTRIBUTE, HttpSettings.read(server.settings(), context.getContextPath()));
            context.setAttribute(RESOURCE_SERVER_ATTRIBUTE, server);
            server.start();
            context.setAttribute(CHECK_ATTRIBUTE, server);
            host.started(server, context);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** {@code tokengate.clients} may name a file inside the WAR ({@code /WEB-INF/...}): it is read where the server unpacked it. */
    private static SettingsSource webInf(SettingsSource source, ServletContext context) {
        return key -> {
            String value = source.get(key);
            if (Setting.CLIENTS.key().equals(key) && value != null && value.trim().startsWith("/WEB-INF/")) {
                String real = context.getRealPath(value.trim());
                if (real == null) {
                    throw new ConfigurationException(Setting.CLIENTS, value + " is inside a WAR this server did not unpack; give a file path");
                }
                return real;
            }
            return value;
        };
    }

    /**
     * The refresh-token store the settings ask for. The JPA store is opened at once if its database answers;
     * otherwise the application starts without it (TG-1007) and it is opened in the background, every
     * {@link #STORE_RETRY}, or by the first request after that, once the database is back (TG-1008). It is closed
     * with the application.
     */
    private RefreshTokenStore store(Settings settings, ServletContext context) {
        String kind = settings.required(ServletSetting.STORE);
        switch (kind) {
            case "memory":
                ServletLog.MEMORY_STORE.log(LOG, settings.get(Setting.ISSUER));
                return new InMemoryRefreshTokenStore();
            case "jpa":
                String name = settings.required(ServletSetting.DATASOURCE);
                DataSource ds;
                try {
                    ds = (DataSource) new InitialContext().lookup(name);
                } catch (NamingException | ClassCastException e) {
                    throw new ConfigurationException(ServletSetting.DATASOURCE, "no DataSource at " + name + " (" + e.getMessage() + ")", e);
                }
                String schema = settings.required(ServletSetting.SCHEMA_GENERATION);
                if (!schema.equals("create") && !schema.equals("none")) {
                    throw new ConfigurationException(ServletSetting.SCHEMA_GENERATION, "'" + schema + "' is not create or none");
                }
                String issuer = settings.required(Setting.ISSUER);
                String app = context.getContextPath().isEmpty() ? "/" : context.getContextPath();
                DeferredStore store = new DeferredStore(() -> {
                    RefreshTokenStore opened = JpaStores.open(ds, issuer, Map.of(JpaStores.SCHEMA_ACTION, schema));
                    warnIfTemporary(ds, name, app);
                    return opened;
                }, name, Clock.systemUTC(), STORE_RETRY);
                try {
                    if (!store.open()) {
                        retryInBackground(store, context);
                    }
                } catch (RuntimeException e) {
                    throw new ConfigurationException(ServletSetting.DATASOURCE, "cannot open the JPA store on " + name + ": " + e.getMessage(), e);
                }
                context.setAttribute(STORE_ATTRIBUTE, store);
                return store;
            default:
                throw new ConfigurationException(ServletSetting.STORE, "'" + kind + "' is not jpa or memory");
        }
    }

    /**
     * Warns (TG-0305) when the store's database does not outlive the server — the servers' default datasources are
     * such databases: in memory, or in a temporary folder — since every refresh token is then lost at the next restart.
     */
    private static void warnIfTemporary(DataSource ds, String name, String app) {
        String url;
        try (Connection c = ds.getConnection()) {
            url = c.getMetaData().getURL();
        } catch (SQLException | RuntimeException e) {
            return; // the store opened, so this is unlikely; nothing to warn about that is known
        }
        TemporaryDatabase.of(url, Path.of(System.getProperty("java.io.tmpdir")))
                .ifPresent(where -> ServletLog.TEMPORARY_DATABASE.log(LOG, app, name, where,
                        url.indexOf(';') < 0 ? url : url.substring(0, url.indexOf(';'))));
    }

    /** Opens the store every {@link #STORE_RETRY} until it opens or the application stops, on a thread of its own. */
    private void retryInBackground(DeferredStore store, ServletContext context) {
        ClassLoader loader = context.getClassLoader();
        retries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tokengate-store-open" + context.getContextPath().replace('/', '-'));
            t.setDaemon(true);
            t.setContextClassLoader(loader);
            return t;
        });
        retries.scheduleWithFixedDelay(() -> {
            if (store.open()) {
                retries.shutdown();
            }
        }, STORE_RETRY.toMillis(), STORE_RETRY.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static CredentialVerifier verifier(Settings settings, ServletContext context) {
        String name = settings.get(ServletSetting.CREDENTIAL_VERIFIER);
        if (name == null) {
            return null;
        }
        try {
            Object o = Class.forName(name, true, context.getClassLoader()).getDeclaredConstructor().newInstance();
            return (CredentialVerifier) o;
        } catch (ReflectiveOperationException | ClassCastException | LinkageError e) {
            throw new ConfigurationException(ServletSetting.CREDENTIAL_VERIFIER, "cannot create " + name + " as a CredentialVerifier: " + e, e);
        }
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        host.stopped(event.getServletContext());
        if (retries != null) {
            retries.shutdownNow();
            try {
                retries.awaitTermination(10, TimeUnit.SECONDS); // an attempt under way ends first
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (event.getServletContext().getAttribute(ATTRIBUTE) instanceof TokenGate tokenGate) {
            tokenGate.close();
        }
        if (event.getServletContext().getAttribute(STORE_ATTRIBUTE) instanceof DeferredStore store) {
            store.close();
        }
        if (event.getServletContext().getAttribute(RESOURCE_SERVER_ATTRIBUTE) instanceof ResourceServer server) {
            server.close();
        }
    }

    /** The application's TokenGate, or a clear error when the context-params do not configure one. */
    public static TokenGate of(ServletContext context) throws ServletException {
        Object tg = context.getAttribute(ATTRIBUTE);
        if (!(tg instanceof TokenGate)) {
            if (context.getAttribute(CHECK_ATTRIBUTE) instanceof ResourceServer) {
                throw new ServletException("this application is a resource server (tokengate.keys.source=issuer): it has no"
                        + " TokenGate of its own, no endpoints, no refresh tokens");
            }
            throw new ServletException(new ConfigurationException(Setting.ISSUER,
                    "is required (set it as a context-param in web.xml)").getMessage());
        }
        return (TokenGate) tg;
    }

    /** What the application's bearer check uses: its TokenGate, or its ResourceServer. */
    public static TokenCheck check(ServletContext context) throws ServletException {
        Object check = context.getAttribute(CHECK_ATTRIBUTE);
        if (!(check instanceof TokenCheck)) {
            throw new ServletException(new ConfigurationException(Setting.ISSUER,
                    "is required (set it as a context-param in web.xml)").getMessage());
        }
        return (TokenCheck) check;
    }
}
