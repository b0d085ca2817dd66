package io.tokengate.core.client;

/** RFC 6749 §2.1 client types. */
public enum ClientType {
    /** Can keep a secret (a server-side app): authenticates at the token endpoint. */
    CONFIDENTIAL,
    /** Cannot keep a secret (a browser or mobile app): identifies itself by {@code client_id} only. */
    PUBLIC
}
