/**
 * Servlet integration of TokenGate, configured from web.xml alone: {@link io.tokengate.servlet.BearerTokenFilter}
 * validates bearer tokens, the endpoint servlets translate HTTP to {@code io.tokengate.core.endpoint}. A
 * {@link io.tokengate.servlet.TokenGateInitializer} found through {@code META-INF/services} starts TokenGate when
 * the context-param {@code tokengate.issuer} is set.
 */
package io.tokengate.servlet;
