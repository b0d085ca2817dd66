/**
 * Servlet integration of TokenGate: the bearer-token filter and the OAuth endpoint servlets.
 * Nothing here yet; it arrives with the servlet-filter issue and only translates HTTP to {@code io.tokengate.core}.
 */
package io.tokengate.servlet;
