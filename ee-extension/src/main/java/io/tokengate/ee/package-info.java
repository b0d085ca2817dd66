/**
 * Jakarta EE (CDI, Jakarta Security, JPA) integration of TokenGate.
 * Nothing here yet; it arrives with the ee-extension issue and only wires {@code io.tokengate.core}.
 */
package io.tokengate.ee;
