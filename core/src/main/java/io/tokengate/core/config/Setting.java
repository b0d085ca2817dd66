package io.tokengate.core.config;

import io.tokengate.core.endpoint.Realm;

/**
 * The configuration keys of the core: the issuer, access tokens and their validation, the signing keys, the
 * refresh-token secrets and the client registry. The same names work as servlet init-params and context-params and
 * as MicroProfile Config properties; the servlet filter and the EE extension add keys of their own
 * ({@code ServletSetting}, {@code EeSetting}).
 */
public final class Setting {
    public static final SettingKey ISSUER = new SettingKey("tokengate.issuer", null, null,
            "The issuer identifier: written as `iss`, required exactly by the validator, the prefix of every endpoint URL in the metadata. Required.");
    public static final SettingKey AUDIENCE = new SettingKey("tokengate.audience", null, "the issuer",
            "The `aud` of every access token, and what the validator requires (comma-separated: any one).");
    public static final SettingKey ACCESS_TOKEN_LIFETIME = new SettingKey("tokengate.access-token-lifetime", "PT5M", null,
            "Default access-token lifetime (clients may set their own).");
    public static final SettingKey MAX_TOKEN_LIFETIME = new SettingKey("tokengate.max-token-lifetime", "PT1H", null,
            "Longest access-token lifetime the validator accepts; revocation entries live this long.");
    public static final SettingKey CLOCK_SKEW = new SettingKey("tokengate.clock-skew", "PT30S", null,
            "Tolerance for `exp`, `nbf` and `iat`.");
    public static final SettingKey MAX_TOKEN_LENGTH = new SettingKey("tokengate.max-token-length", "8192", null,
            "Longer bearer tokens are refused before any parsing.");
    public static final SettingKey VERIFIED_TOKEN_CACHE_SIZE = new SettingKey("tokengate.verified-token-cache-size", "10000", null,
            "How many verified access tokens the validator remembers: the same token again skips parsing and signature checking until it expires (revocation is still checked every time; a key rotation or retirement empties it). `0` turns it off.");
    public static final SettingKey ACCEPT_JWT_TYPE = new SettingKey("tokengate.accept-jwt-type", "false", null,
            "Migration switch: also accept `typ: JWT` (ID tokens carry it, so keep it off).");
    public static final SettingKey GROUPS_CLAIM = new SettingKey("tokengate.groups-claim", "groups", null,
            "Name of the roles/groups claim.");
    public static final SettingKey KEYS_SOURCE = new SettingKey("tokengate.keys.source", "generated", null,
            "Where signing keys come from: `generated` (a development key set kept in `tokengate.keys.directory`), `database` (generated keys shared by every server of the issuer through the store's database, private keys encrypted), `pkcs12`, `pem` or `jwks`; `issuer` makes this application a resource server that trusts `tokengate.issuer` and has no keys, store or endpoints of its own (see Resource servers).");
    public static final SettingKey KEYS_ALGORITHM = new SettingKey("tokengate.keys.algorithm", "RS256", null,
            "Algorithm of generated keys (`RS256`, `PS256`, `ES256`, `EdDSA`); for keystore and PEM sources, RS256 or PS256 for RSA keys.");
    public static final SettingKey KEYS_DIRECTORY = new SettingKey("tokengate.keys.directory", null, "`.tokengate/keys/<issuer>` in the user's home",
            "Folder of the generated key set (`tokengate-keys.jwks.json`) and the generated refresh-token secret (`tokengate-refresh-secret.txt`); made owner-only. The default is one folder per issuer (e.g. `localhost-8080-app-3f2a…`), so applications never share keys unless told to.");
    public static final SettingKey KEYS_KEYSTORE = new SettingKey("tokengate.keys.keystore", null, null,
            "PKCS#12 keystore path (source `pkcs12`; source `database`: of the key-encryption keys, with `tokengate.keys.encryption-key-alias`).");
    public static final SettingKey KEYS_KEYSTORE_PASSWORD = new SettingKey("tokengate.keys.keystore-password", null, null,
            "Its password; `${env:NAME}` or `${file:/path}` read it from an environment variable or a file.");
    public static final SettingKey KEYS_ACTIVE = new SettingKey("tokengate.keys.active", null, null,
            "The key that signs: keystore alias, PEM file or JWK `kid` (sources `pkcs12`, `pem`, `jwks`).");
    public static final SettingKey KEYS_NEXT = new SettingKey("tokengate.keys.next", null, null,
            "The key published before it signs (alias, PEM file or `kid`).");
    public static final SettingKey KEYS_PREVIOUS = new SettingKey("tokengate.keys.previous", null, null,
            "Keys that still verify (comma-separated aliases or PEM files).");
    public static final SettingKey KEYS_JWKS_FILE = new SettingKey("tokengate.keys.jwks-file", null, null,
            "JWK Set file with private keys (source `jwks`).");
    public static final SettingKey KEYS_ENCRYPTION_KEY = new SettingKey("tokengate.keys.encryption-key", null, null,
            "Source `database`: the key-encryption key that encrypts the private keys in the database, `id:base64url` of 32 random bytes (AES-256); comma-separated while one replaces another, the one that encrypts first; `${env:NAME}` or `${file:/path}` allowed. Every server of the issuer needs the same.");
    public static final SettingKey KEYS_ENCRYPTION_KEY_ALIAS = new SettingKey("tokengate.keys.encryption-key-alias", null, null,
            "Source `database`, instead of `tokengate.keys.encryption-key`: aliases of AES-256 secret-key entries in the PKCS#12 `tokengate.keys.keystore` (password `tokengate.keys.keystore-password`), comma-separated, the one that encrypts first.");
    public static final SettingKey KEYS_ROTATION_INTERVAL = new SettingKey("tokengate.keys.rotation-interval", null, "none",
            "Source `database`: how often the active key is replaced on schedule (e.g. `P30D`): the next key is generated and published `tokengate.jwks-max-age` before it signs, and the old one verifies until the longest access token it signed has expired. Unset: keys change only when an administrator rotates them.");
    public static final SettingKey JWKS_MAX_AGE = new SettingKey("tokengate.jwks-max-age", "PT5M", null,
            "`Cache-Control: max-age` of the JWKS: stage a next key at least this long before rotating to it.");
    public static final SettingKey JWKS_URI = new SettingKey("tokengate.jwks-uri", null, "the issuer's metadata `jwks_uri`",
            "Resource server: the issuer's JWK Set URL (https; http only to localhost). Unset: read from the issuer's RFC 8414 metadata.");
    public static final SettingKey JWKS_MIN_REFRESH = new SettingKey("tokengate.jwks-min-refresh", "PT30S", null,
            "Resource server: the least time between two JWKS fetches for tokens with an unknown `kid` (at least 1 s); the set is otherwise fetched as its `Cache-Control` says.");
    public static final SettingKey REVOCATION_FEED_URI = new SettingKey("tokengate.revocation-feed-uri", null, "the issuer's metadata `revocation_feed_endpoint`",
            "Resource server: the issuer's revocation feed URL.");
    public static final SettingKey REVOCATION_FEED_CLIENT = new SettingKey("tokengate.revocation-feed-client", null, null,
            "Resource server: the `client_id` it reads the feed as (a confidential client of the issuer with `revocation-feed=true`). Unset: no feed, revoked access tokens are accepted until they expire (warning TG-0204).");
    public static final SettingKey REVOCATION_FEED_SECRET = new SettingKey("tokengate.revocation-feed-secret", null, null,
            "Resource server: that client's secret; `${env:NAME}` or `${file:/path}` allowed.");
    public static final SettingKey REVOCATION_POLL_INTERVAL = new SettingKey("tokengate.revocation-poll-interval", "PT1S", null,
            "Resource server: how often it reads the feed (a revoked token is refused within this plus about a second).");
    public static final SettingKey REVOCATION_MAX_STALENESS = new SettingKey("tokengate.revocation-max-staleness", "PT30S", null,
            "Resource server: how long the feed may go unanswered (or, at start, unread) before tokens are refused with 503 (TG-0205).");
    public static final SettingKey REVOCATION_WHEN_STALE = new SettingKey("tokengate.revocation-when-stale", "refuse", null,
            "Resource server: `refuse` (fail closed, 503) or `accept` (accept tokens unchecked, logging TG-0205) once the feed is staler than the maximum.");
    public static final SettingKey REFRESH_TOKEN_SECRETS = new SettingKey("tokengate.refresh-token-secrets", null, "generated in `tokengate.keys.directory`",
            "Secrets for the keyed hashes and tags of refresh tokens: `id:base64url-key` (32+ bytes), comma-separated, current first (new tokens use it; the others still verify theirs); `${env:...}`/`${file:...}` allowed.");
    public static final SettingKey CLIENTS = new SettingKey("tokengate.clients", null, null,
            "Client registry file (`.properties` or `.json`), a path or `/WEB-INF/...` inside the WAR; see the client registry table. Without it only clients given in code exist.");
    public static final SettingKey DPOP_ALGORITHMS = new SettingKey("tokengate.dpop.algorithms", "ES256,PS256,RS256,EdDSA", null,
            "DPoP (RFC 9449): the proof algorithms accepted (`dpop_signing_alg_values_supported`); asymmetric only.");
    public static final SettingKey DPOP_MAX_AGE = new SettingKey("tokengate.dpop.max-age", "PT60S", null,
            "DPoP: how old a proof's `iat` may be (it may be `tokengate.clock-skew` in the future); a proof's `jti` is remembered this long.");
    public static final SettingKey DPOP_REPLAY_CACHE_SIZE = new SettingKey("tokengate.dpop.replay-cache-size", "100000", null,
            "DPoP: how many used proofs a server remembers to refuse their replay; when full of live entries, new proofs are refused (fail closed). In a cluster the EE extension shares them through JCache.");
    public static final SettingKey REALM = new SettingKey("tokengate.realm", Realm.DEFAULT, null,
            "Realm of `WWW-Authenticate` challenges.");

    private Setting() {
    }
}
