package io.tokengate.ee;

import java.util.Set;

import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.HandlesTypes;

import io.tokengate.core.config.ConfigurationException;
import io.tokengate.servlet.TokenGateInitializer;

/**
 * Starts TokenGate in a Jakarta EE application (it replaces the servlet filter's own initializer): finds the class
 * annotated {@link TokenGateDefinition}, decides whether TokenGate is the application's mechanism, and hands a new
 * {@link EeHost} — the application's state — to {@link TokenGateInitializer#start}. Holds no state itself.
 */
@HandlesTypes(TokenGateDefinition.class)
public final class EeInitializer implements ServletContainerInitializer {

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) throws ServletException {
        Class<?> annotated = null;
        if (classes != null) {
            for (Class<?> c : classes) {
                if (c.isAnnotationPresent(TokenGateDefinition.class)) {
                    if (annotated != null) {
                        throw new ServletException(new ConfigurationException("@TokenGateDefinition", "is on both " + annotated.getName()
                                + " and " + c.getName() + "; keep one").getMessage());
                    }
                    annotated = c;
                }
            }
        }
        boolean mechanism = annotated != null || EeSettings.mechanismEnabled(context.getClassLoader());
        TokenGateInitializer.start(context, new EeHost(annotated, mechanism));
    }
}
