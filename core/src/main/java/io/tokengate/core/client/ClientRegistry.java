package io.tokengate.core.client;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Looks clients up by {@code client_id}. Implementations must be thread-safe and answer from memory. */
public interface ClientRegistry {

    Optional<ClientRegistration> find(String clientId);

    /** A fixed registry of these clients. */
    static ClientRegistry of(Collection<ClientRegistration> clients) {
        Map<String, ClientRegistration> map = clients.stream()
                .collect(Collectors.toUnmodifiableMap(ClientRegistration::clientId, Function.identity(), (a, b) -> {
                    throw new IllegalArgumentException("client_id " + a.clientId() + " is registered twice");
                }));
        return id -> Optional.ofNullable(id == null ? null : map.get(id));
    }
}
