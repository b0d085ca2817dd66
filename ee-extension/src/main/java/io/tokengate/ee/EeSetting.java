package io.tokengate.ee;

import io.tokengate.core.config.SettingKey;

/**
 * The configuration keys of the EE extension: the authentication mechanism, the hand-off and admin endpoints, the
 * revocation registry of a cluster, the scheduled cleanup.
 */
public final class EeSetting {
    public static final SettingKey MECHANISM = new SettingKey("tokengate.mechanism", "false", null,
            "EE extension: `true` makes TokenGate the application's Jakarta Security authentication mechanism (like `@TokenGateDefinition`). Read from MicroProfile Config or system properties only: it must be known before the application starts.");
    public static final SettingKey HANDOFF_PATH = new SettingKey("tokengate.handoff-path", "/oauth/handoff", null,
            "EE extension: path of the container-login hand-off endpoint (with `tokengate.endpoints=true`).");
    public static final SettingKey AUTHORIZATION_PATH = new SettingKey("tokengate.authorization-path", "/oauth/authorize", null,
            "EE extension: path of the authorization endpoint (authorization code + PKCE; with `tokengate.endpoints=true`): the user signs in with the application's own login, or TokenGate's login page where TokenGate is the mechanism.");
    public static final SettingKey LOGIN_PATH = new SettingKey("tokengate.login-path", "/oauth/login", null,
            "EE extension, TokenGate as the mechanism: path of TokenGate's login page for the authorization endpoint (a form posting `username`, `password`, `csrf`, checked by the application's identity stores).");
    public static final SettingKey LOGIN_PAGE = new SettingKey("tokengate.login-page", null, "TokenGate's own page",
            "EE extension: the application's replacement for that login page (a JSP, Faces page or servlet path in the application), forwarded to with request attributes `tokengate.csrf`, `tokengate.action` and `tokengate.error`.");
    public static final SettingKey ADMIN_PATH = new SettingKey("tokengate.admin-path", "/tokengate/admin", null,
            "EE extension: path of the administration API for `tokengate-admin` callers (with `tokengate.endpoints=true`).");
    public static final SettingKey ADMIN_ROLE = new SettingKey("tokengate.admin-role", "tokengate-admin", null,
            "EE extension: the role that may use the administration API.");
    public static final SettingKey REVOCATION_REGISTRY = new SettingKey("tokengate.revocation-registry", "auto", null,
            "EE extension: where revocations live: `jcache` (shared by the cluster; fails the start without JCache), `memory` (this server only) or `auto` (JCache when available). Logged at start-up as TG-0401.");
    public static final SettingKey CLEANUP_INTERVAL = new SettingKey("tokengate.cleanup-interval", "PT10M", null,
            "EE extension: how often expired families and long-rotated tokens are deleted; `PT0S` turns the scheduled cleanup off.");
    public static final SettingKey CLEANUP_BATCH_SIZE = new SettingKey("tokengate.cleanup-batch-size", "1000", null,
            "EE extension: rows deleted per cleanup transaction (a run repeats batches until nothing is left).");
    public static final SettingKey CLEANUP_KEEP_REVOKED = new SettingKey("tokengate.cleanup-keep-revoked", "P7D", null,
            "How long a revoked family is kept, so replays of its tokens are still recognised.");
    public static final SettingKey CLEANUP_KEEP_ROTATED = new SettingKey("tokengate.cleanup-keep-rotated", "P30D", null,
            "How long the record of a rotated token is kept while its family lives (at least `PT1H`); older replays are answered as unknown tokens (`invalid_grant`, the family is not revoked).");

    private EeSetting() {
    }
}
