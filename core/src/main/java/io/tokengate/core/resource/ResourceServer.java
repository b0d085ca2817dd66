package io.tokengate.core.resource;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import io.tokengate.core.TokenCheck;
import io.tokengate.core.config.ConfigurationException;
import io.tokengate.core.config.Setting;
import io.tokengate.core.config.SettingKey;
import io.tokengate.core.config.Settings;
import io.tokengate.core.config.SettingsSource;
import io.tokengate.core.config.TokenGateConfig;
import io.tokengate.core.keys.KeyRing;
import io.tokengate.core.dpop.DPoPProofValidator;
import io.tokengate.core.dpop.InMemoryDPoPReplayCache;
import io.tokengate.core.keys.RemoteKeys;
import io.tokengate.core.log.CoreLog;
import io.tokengate.core.remote.RemoteFetch;
import io.tokengate.core.revocation.InMemoryRevocationRegistry;
import io.tokengate.core.revocation.RevocationRegistry;
import io.tokengate.core.validation.AccessTokenValidator;

/**
 * An application that trusts another issuer's tokens ({@code tokengate.keys.source=issuer}): the issuer's keys from
 * its JWKS ({@link RemoteKeys}), its cuts from its revocation feed, one validator — no keys, store or endpoints of its
 * own. {@link #start()} reads both before the first token and then keeps them fresh on a thread of its own: the feed
 * every {@code tokengate.revocation-poll-interval}, the keys as their {@code Cache-Control} says. Validation never
 * waits for the network, except half a second at most for a token with a {@code kid} the set lacks.
 */
public final class ResourceServer implements TokenCheck, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ResourceServer.class.getName());
    /** How often the keys' max-age is looked at. */
    private static final Duration KEYS_CHECK = Duration.ofSeconds(5);
    static final Duration FETCH_TIMEOUT = Duration.ofSeconds(5);
    private static final int FEED_MAX_BYTES = 16 * 1024 * 1024;

    private final Settings settings;
    private final TokenGateConfig config;
    private final IssuerMetadata metadata;
    private final RemoteKeys keys;
    private final RevocationFeedClient feed; // null: no feed configured
    private final Duration pollInterval;
    private final AccessTokenValidator validator;
    private final DPoPProofValidator dpop;
    private final ScheduledExecutorService background;

    private ResourceServer(Settings settings, TokenGateConfig config, Clock clock, LongSupplier nanoTime) {
        this.settings = settings;
        this.config = config;
        if (!config.keys().fromIssuer()) {
            throw new ConfigurationException(Setting.KEYS_SOURCE, "must be issuer for a resource server");
        }
        RemoteFetch http = new RemoteFetch(FETCH_TIMEOUT, FEED_MAX_BYTES, nanoTime);
        this.metadata = new IssuerMetadata(config.issuer(), http, uri(settings, Setting.JWKS_URI), uri(settings, Setting.REVOCATION_FEED_URI));
        Duration minRefresh = settings.duration(Setting.JWKS_MIN_REFRESH);
        if (minRefresh.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new ConfigurationException(Setting.JWKS_MIN_REFRESH, "must be at least one second");
        }
        this.pollInterval = settings.duration(Setting.REVOCATION_POLL_INTERVAL);
        if (pollInterval.compareTo(Duration.ofMillis(100)) < 0) {
            throw new ConfigurationException(Setting.REVOCATION_POLL_INTERVAL, "must be at least 100 ms");
        }
        Duration maxStaleness = settings.duration(Setting.REVOCATION_MAX_STALENESS);
        if (maxStaleness.compareTo(pollInterval) < 0) {
            throw new ConfigurationException(Setting.REVOCATION_MAX_STALENESS, "must be at least " + Setting.REVOCATION_POLL_INTERVAL.key()
                    + " (" + pollInterval + ")");
        }
        String whenStale = settings.required(Setting.REVOCATION_WHEN_STALE).toLowerCase(Locale.ROOT);
        if (!whenStale.equals("refuse") && !whenStale.equals("accept")) {
            throw new ConfigurationException(Setting.REVOCATION_WHEN_STALE, "'" + whenStale + "' is not refuse or accept");
        }
        this.keys = RemoteKeys.builder(metadata::jwksUri).minRefresh(minRefresh).timeout(FETCH_TIMEOUT).clock(clock).build();
        InMemoryRevocationRegistry local = new InMemoryRevocationRegistry(clock, config.maxTokenLifetime(), config.clockSkew());
        String client = settings.get(Setting.REVOCATION_FEED_CLIENT);
        RevocationRegistry registry;
        if (client == null) {
            this.feed = null;
            registry = local;
            CoreLog.NO_REVOCATION_FEED.log(LOG, config.issuer());
        } else {
            String secret = settings.required(Setting.REVOCATION_FEED_SECRET);
            this.feed = new RevocationFeedClient(metadata::feedUri, client, secret, http, local, keys, maxStaleness,
                    whenStale.equals("accept"), nanoTime);
            registry = feed;
        }
        String[] audience = config.audiences().toArray(String[]::new);
        this.dpop = new DPoPProofValidator(config.dpop().algorithms(), config.dpop().maxAge(), config.clockSkew(),
                new InMemoryDPoPReplayCache(config.dpop().replayCacheSize(), clock), clock);
        this.validator = AccessTokenValidator.builder().keyRing(keys.keyRing()).issuer(config.issuer()).audience(audience).clock(clock)
                .clockSkew(config.clockSkew()).maxTokenLifetime(config.maxTokenLifetime()).maxTokenLength(config.maxTokenLength())
                .acceptJwtType(config.acceptJwtType()).groupsClaim(config.groupsClaim()).verifiedTokenCacheSize(config.verifiedTokenCacheSize())
                .revocationRegistry(registry).build();
        this.background = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "tokengate-resource-server");
            t.setDaemon(true);
            return t;
        });
    }

    private static URI uri(Settings settings, SettingKey key) {
        String value = settings.get(key);
        if (value == null) {
            return null;
        }
        try {
            return RemoteFetch.checkedUri(URI.create(value.trim()), key.key());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(key, e.getMessage());
        }
    }

    /** @throws ConfigurationException naming the key at fault */
    public static ResourceServer create(SettingsSource source, Clock clock) {
        Settings settings = new Settings(Objects.requireNonNull(source, "source"));
        return new ResourceServer(settings, TokenGateConfig.read(settings), clock, System::nanoTime);
    }

    /** Whether the settings make an application a resource server ({@code tokengate.keys.source=issuer}). */
    public static boolean isConfiguredBy(Settings settings) {
        String source = settings.get(Setting.KEYS_SOURCE);
        return source != null && source.trim().equalsIgnoreCase("issuer");
    }

    /**
     * Reads the keys and the feed once, waiting for them (each within its timeout), then keeps them fresh in the
     * background. What could not be read is tried again there; until the feed has answered, tokens are refused (503).
     */
    public ResourceServer start() {
        boolean keysLoaded = keys.load();
        boolean feedRead = feed == null || feed.poll();
        String jwks;
        try {
            jwks = keysLoaded ? String.valueOf(metadata.jwksUri()) : "(not reachable yet: TG-0203)";
        } catch (java.io.IOException e) {
            jwks = "(not reachable yet: TG-0203)";
        }
        CoreLog.RESOURCE_SERVER_STARTED.log(LOG, config.issuer(), jwks,
                feed == null ? "none (TG-0204)" : feedRead ? "read" : "not reachable yet (TG-0205)");
        long keysCheck = KEYS_CHECK.toMillis();
        background.scheduleWithFixedDelay(() -> {
            if (keys.keyRing().current().verificationKeys(keys.keyRing().clock().instant()).isEmpty()) {
                keys.load(); // none yet: fetching is not rate-limited by max-age
            } else {
                keys.refreshIfStale();
            }
        }, keysCheck, keysCheck, TimeUnit.MILLISECONDS);
        if (feed != null) {
            long poll = pollInterval.toMillis();
            background.scheduleWithFixedDelay(feed::poll, poll, poll, TimeUnit.MILLISECONDS);
        }
        return this;
    }

    @Override
    public AccessTokenValidator validator() {
        return validator;
    }

    @Override
    public DPoPProofValidator dpop() {
        return dpop;
    }

    @Override
    public Settings settings() {
        return settings;
    }

    @Override
    public TokenGateConfig config() {
        return config;
    }

    /** The trusted issuer's keys as last fetched. */
    public KeyRing keyRing() {
        return keys.keyRing();
    }

    /** How many JWKS fetches succeeded (monitoring, tests). */
    public long keyFetches() {
        return keys.fetches();
    }

    /** Stops the background work (at the application's end). */
    @Override
    public void close() {
        background.shutdownNow();
        keys.close();
    }
}
