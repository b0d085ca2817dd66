package io.tokengate.core.client;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

import org.jose4j.json.JsonUtil;
import org.jose4j.lang.JoseException;

import io.tokengate.core.config.Durations;

/**
 * Loads a {@link ClientRegistry} from a properties file ({@code client.<client-id>.<setting>=value}) or a JSON
 * file ({@code {"clients":[{"client-id":"...", "<setting>":...}]}}). Settings: {@code type}
 * ({@code confidential} or {@code public}), {@code secret-sha256}, {@code grants} and {@code scopes}
 * (space-separated in properties, arrays or space-separated strings in JSON), {@code access-token-lifetime},
 * {@code refresh-idle-timeout}, {@code refresh-absolute-lifetime}, {@code retry-window} (ISO-8601 such as
 * {@code PT5M} or whole seconds), {@code cookie-mode}, {@code revocation-feed}, {@code first-party} and
 * {@code dpop-bound-access-tokens} ({@code true}/{@code false}), {@code redirect-uris} (like {@code grants}). Errors name
 * the file, the client and the setting.
 */
public final class ClientRegistryFiles {
    private static final Set<String> SETTINGS = Set.of("type", "secret-sha256", "grants", "scopes", "access-token-lifetime",
            "refresh-idle-timeout", "refresh-absolute-lifetime", "retry-window", "cookie-mode",
            "revocation-feed", "redirect-uris", "first-party", "dpop-bound-access-tokens");

    private ClientRegistryFiles() {
    }

    /** The placeholder a redirect URI may start with: the issuer, for a browser page of the issuer's own application. */
    public static final String ISSUER_PLACEHOLDER = "${issuer}";

    /** Loads a {@code .json} file as JSON and anything else as properties. */
    public static ClientRegistry load(Path file) {
        return load(file, null);
    }

    /**
     * Loads a {@code .json} file as JSON and anything else as properties; a redirect URI starting with
     * {@value #ISSUER_PLACEHOLDER} starts with {@code issuer} instead (without its trailing slash).
     */
    public static ClientRegistry load(Path file, String issuer) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json") ? loadJson(file, issuer) : loadProperties(file, issuer);
    }

    public static ClientRegistry loadProperties(Path file) {
        return loadProperties(file, null);
    }

    public static ClientRegistry loadJson(Path file) {
        return loadJson(file, null);
    }

    private static ClientRegistry loadProperties(Path file, String issuer) {
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(r);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("client registry " + file + " does not exist");
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("client registry " + file + " cannot be read: " + e.getMessage());
        }
        Map<String, Map<String, Object>> byClient = new LinkedHashMap<>();
        for (String key : props.stringPropertyNames()) {
            if (!key.startsWith("client.")) {
                throw new IllegalArgumentException("client registry " + file + ": unknown key " + key + " (keys are client.<id>.<setting>)");
            }
            int dot = key.lastIndexOf('.');
            if (dot <= "client.".length()) {
                throw new IllegalArgumentException("client registry " + file + ": key " + key + " needs the form client.<id>.<setting>");
            }
            String id = key.substring("client.".length(), dot);
            byClient.computeIfAbsent(id, k -> new LinkedHashMap<>()).put(key.substring(dot + 1), props.getProperty(key).trim());
        }
        List<ClientRegistration> clients = new ArrayList<>();
        byClient.forEach((id, settings) -> clients.add(build(file, id, settings, issuer)));
        return ClientRegistry.of(clients);
    }

    private static ClientRegistry loadJson(Path file, String issuer) {
        Map<String, Object> root;
        try {
            root = JsonUtil.parseJson(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("client registry " + file + " does not exist");
        } catch (IOException | JoseException | RuntimeException e) {
            throw new IllegalArgumentException("client registry " + file + " is not valid JSON");
        }
        if (!(root.get("clients") instanceof List)) {
            throw new IllegalArgumentException("client registry " + file + " has no \"clients\" array");
        }
        List<ClientRegistration> clients = new ArrayList<>();
        for (Object o : (List<?>) root.get("clients")) {
            if (!(o instanceof Map)) {
                throw new IllegalArgumentException("client registry " + file + ": every client is a JSON object");
            }
            Map<String, Object> settings = new LinkedHashMap<>();
            ((Map<?, ?>) o).forEach((k, v) -> settings.put(String.valueOf(k), v));
            Object id = settings.remove("client-id");
            if (!(id instanceof String)) {
                throw new IllegalArgumentException("client registry " + file + ": a client lacks \"client-id\"");
            }
            clients.add(build(file, (String) id, settings, issuer));
        }
        try {
            return ClientRegistry.of(clients);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("client registry " + file + ": " + e.getMessage());
        }
    }

    private static ClientRegistration build(Path file, String id, Map<String, Object> settings, String issuer) {
        String where = "client registry " + file + ", client " + id + ": ";
        for (String name : settings.keySet()) {
            if (!SETTINGS.contains(name)) {
                throw new IllegalArgumentException(where + "unknown setting " + name + " (known: " + new TreeSet<>(SETTINGS) + ")");
            }
        }
        try {
            ClientRegistration.Builder b = ClientRegistration.builder(id);
            Object type = settings.get("type");
            if (type != null) {
                b.type(switch (String.valueOf(type).toLowerCase(Locale.ROOT)) {
                    case "confidential" -> ClientType.CONFIDENTIAL;
                    case "public" -> ClientType.PUBLIC;
                    default -> throw new IllegalArgumentException("type must be confidential or public");
                });
            }
            if (settings.containsKey("secret-sha256")) {
                b.secretSha256(String.valueOf(settings.get("secret-sha256")));
            }
            if (settings.containsKey("grants")) {
                Set<GrantType> grants = EnumSet.noneOf(GrantType.class);
                for (String g : words(settings.get("grants"))) {
                    grants.add(GrantType.fromValue(g).orElseThrow(() ->
                            new IllegalArgumentException("unknown grant " + g + " (use authorization_code, refresh_token, client_credentials, password)")));
                }
                b.grants(grants);
            }
            if (settings.containsKey("scopes")) {
                b.scopes(words(settings.get("scopes")));
            }
            duration(settings, "access-token-lifetime", b::accessTokenLifetime);
            duration(settings, "refresh-idle-timeout", b::refreshIdleTimeout);
            duration(settings, "refresh-absolute-lifetime", b::refreshAbsoluteLifetime);
            duration(settings, "retry-window", b::retryWindow);
            flag(settings, "cookie-mode", b::cookieMode);
            flag(settings, "revocation-feed", b::revocationFeed);
            flag(settings, "first-party", b::firstParty);
            flag(settings, "dpop-bound-access-tokens", b::dpopBoundAccessTokens);
            if (settings.containsKey("redirect-uris")) {
                List<String> uris = new ArrayList<>();
                for (String uri : words(settings.get("redirect-uris"))) {
                    if (uri.startsWith(ISSUER_PLACEHOLDER)) {
                        if (issuer == null) {
                            throw new IllegalArgumentException("redirect URI " + uri + " names the issuer, which is not known here");
                        }
                        uri = issuer.replaceAll("/$", "") + uri.substring(ISSUER_PLACEHOLDER.length());
                    }
                    uris.add(uri);
                }
                b.redirectUris(uris);
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + e.getMessage().replace("client " + id + ": ", ""));
        }
    }

    private static void flag(Map<String, Object> settings, String name, Consumer<Boolean> to) {
        Object value = settings.get(name);
        if (value != null) {
            String v = String.valueOf(value);
            if (!v.equals("true") && !v.equals("false")) {
                throw new IllegalArgumentException(name + " must be true or false");
            }
            to.accept(Boolean.parseBoolean(v));
        }
    }

    private static Set<String> words(Object value) {
        Set<String> out = new LinkedHashSet<>();
        if (value instanceof List) {
            for (Object o : (List<?>) value) {
                out.add(String.valueOf(o));
            }
        } else {
            for (String w : String.valueOf(value).trim().split("[\\s,]+")) {
                if (!w.isEmpty()) {
                    out.add(w);
                }
            }
        }
        return out;
    }

    private static void duration(Map<String, Object> settings, String name, Consumer<Duration> setter) {
        Object v = settings.get(name);
        if (v != null) {
            setter.accept(Durations.parse(name, String.valueOf(v)));
        }
    }
}
