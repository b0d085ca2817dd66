package io.tokengate.core.client;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Looks clients up by {@code client_id}. Implementations must be thread-safe and answer from memory. */
public interface ClientRegistry {

    Optional<ClientRegistration> find(String clientId);

    /** Every registered client, for the checks at start-up. */
    Collection<ClientRegistration> all();

    /** A fixed registry of these clients. */
    static ClientRegistry of(Collection<ClientRegistration> clients) {
        Map<String, ClientRegistration> map = clients.stream()
                .collect(Collectors.toUnmodifiableMap(ClientRegistration::clientId, Function.identity(), (a, b) -> {
                    throw new IllegalArgumentException("client_id " + a.clientId() + " is registered twice");
                }));
        return new ClientRegistry() {
            @Override
            public Optional<ClientRegistration> find(String clientId) {
                return Optional.ofNullable(clientId == null ? null : map.get(clientId));
            }

            @Override
            public Collection<ClientRegistration> all() {
                return map.values();
            }
        };
    }
}
