package io.tokengate.ee;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterTypeDiscovery;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.enterprise.inject.spi.WithAnnotations;

/**
 * Adds {@link TokenGateMechanism} as the application's {@code HttpAuthenticationMechanism} bean when a class is
 * annotated {@link TokenGateDefinition} or {@code tokengate.mechanism=true} is configured; otherwise adds nothing,
 * so an application with a FORM (or any other) mechanism keeps it and uses the hand-off endpoint for its tokens.
 */
public final class TokenGateExtension implements Extension {
    private boolean annotated;

    void definition(@Observes @WithAnnotations(TokenGateDefinition.class) ProcessAnnotatedType<?> type) {
        if (type.getAnnotatedType().isAnnotationPresent(TokenGateDefinition.class)) {
            annotated = true;
        }
    }

    void addMechanism(@Observes AfterTypeDiscovery event, BeanManager beanManager) {
        if (annotated || EeSettings.mechanismEnabled(Thread.currentThread().getContextClassLoader())) {
            event.addAnnotatedType(TokenGateMechanism.class, TokenGateMechanism.class.getName()).add(ApplicationScoped.Literal.INSTANCE);
            event.addAnnotatedType(MechanismAuthenticator.class, MechanismAuthenticator.class.getName()).add(ApplicationScoped.Literal.INSTANCE);
        }
    }
}
