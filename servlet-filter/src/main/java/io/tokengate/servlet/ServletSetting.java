package io.tokengate.servlet;

import io.tokengate.core.config.SettingKey;

/**
 * The configuration keys of the servlet filter: the endpoints and their paths, the bearer check, the refresh cookie
 * and its CSRF defence, the refresh-token store. Read from context-params (and the filter's init-params) or, in the
 * EE extension, MicroProfile Config first.
 */
public final class ServletSetting {
    public static final SettingKey CREDENTIAL_VERIFIER = new SettingKey("tokengate.credential-verifier", null, null,
            "Class name of a `CredentialVerifier` (public no-argument constructor) that enables the password grant for the clients allowed it; the EE extension uses the container's identity stores instead.");
    public static final SettingKey STORE = new SettingKey("tokengate.store", "jpa", null,
            "Where refresh tokens live: `jpa` (the server's datasource, tables created when missing) or `memory` (tests and demos only: lost on restart; logs warning TG-0301).");
    public static final SettingKey DATASOURCE = new SettingKey("tokengate.datasource", "java:comp/DefaultDataSource", null,
            "JNDI name of the datasource of the `jpa` store. Name a lasting database: the servers' default datasource is temporary (warning `TG-0305`).");
    public static final SettingKey SCHEMA_GENERATION = new SettingKey("tokengate.schema-generation", "create", null,
            "`create`: the `jpa` store creates its tables and indexes when they are missing; `none`: it only uses them (a DBA applied the shipped DDL, see Storage).");
    public static final SettingKey ENDPOINTS = new SettingKey("tokengate.endpoints", "false", null,
            "`true` registers the token, revocation, introspection, JWKS and metadata endpoints at the paths below, with no servlet declarations.");
    public static final SettingKey TOKEN_PATH = new SettingKey("tokengate.token-path", "/oauth/token", null,
            "Path of the token endpoint (relative to the application).");
    public static final SettingKey REVOCATION_PATH = new SettingKey("tokengate.revocation-path", "/oauth/revoke", null,
            "Path of the RFC 7009 revocation endpoint.");
    public static final SettingKey INTROSPECTION_PATH = new SettingKey("tokengate.introspection-path", "/oauth/introspect", null,
            "Path of the RFC 7662 introspection endpoint.");
    public static final SettingKey REVOCATION_FEED_PATH = new SettingKey("tokengate.revocation-feed-path", "/oauth/revocation-feed", null,
            "Path of the revocation feed, which resource servers poll (clients with `revocation-feed`; see Resource servers).");
    public static final SettingKey JWKS_PATH = new SettingKey("tokengate.jwks-path", "/oauth/jwks", null,
            "Path of the JWKS endpoint. The RFC 8414 metadata is always at `/.well-known/oauth-authorization-server`.");
    public static final SettingKey REQUIRED_SCOPES = new SettingKey("tokengate.required-scopes", null, null,
            "Scopes a token needs, per URL pattern of the filter: `/admin/*=admin; /api/orders/*=orders.read orders.write` (all listed scopes are required).");
    public static final SettingKey SCOPE_ROLES = new SettingKey("tokengate.scope-roles", null, null,
            "Roles granted by scopes, besides the groups claim: `orders.write=order-clerk, admin=administrator`.");
    public static final SettingKey ACCESS_TOKEN_QUERY_PARAMETER = new SettingKey("tokengate.access-token-query-parameter", "false", null,
            "Also accept the token in the `access_token` query parameter (RFC 6750 §2.3); off because URLs end up in logs.");
    public static final SettingKey ACCESS_TOKEN_COOKIE = new SettingKey("tokengate.access-token-cookie", null, null,
            "Name of a cookie that may carry the access token; unset: cookies are not read.");
    public static final SettingKey ALLOWED_ORIGINS = new SettingKey("tokengate.allowed-origins", null, "the issuer's origin",
            "Origins a cookie-mode refresh may come from (the `Origin` header check of the CSRF defence), comma-separated.");
    public static final SettingKey COOKIE_INSECURE_LOCALHOST = new SettingKey("tokengate.cookie-insecure-localhost", "false", null,
            "Development over http://localhost only: the refresh cookie loses `Secure` and its `__Secure-` prefix (warning TG-0302).");
    public static final SettingKey MAX_REQUEST_SIZE = new SettingKey("tokengate.max-request-size", "65536", null,
            "Largest endpoint request body in bytes; larger requests get `invalid_request`.");

    private ServletSetting() {
    }
}
