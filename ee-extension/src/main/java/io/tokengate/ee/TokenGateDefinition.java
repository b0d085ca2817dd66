package io.tokengate.ee;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.enterprise.inject.Stereotype;

/**
 * Makes TokenGate the application's Jakarta Security authentication mechanism: bearer tokens are validated on
 * every request and the container is told who the caller is, so {@code SecurityContext}, {@code @RolesAllowed}
 * and {@code isUserInRole} work. Put it on one class of the application; it is a stereotype, so the class is
 * discovered as a CDI bean whatever the archive's discovery mode.
 *
 * <pre>
 * &#64;TokenGateDefinition(settings = {"tokengate.issuer=https://api.example.com", "tokengate.endpoints=true"})
 * &#64;ApplicationPath("/api")
 * public class MyApplication extends Application { }
 * </pre>
 *
 * Settings are read from MicroProfile Config first, then the web.xml context-params, then {@link #settings()}:
 * the same keys as everywhere (see the README's configuration table).
 */
@Stereotype
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface TokenGateDefinition {

    /** Default settings as {@code key=value}, e.g. {@code "tokengate.issuer=https://api.example.com"}. */
    String[] settings() default {};
}
