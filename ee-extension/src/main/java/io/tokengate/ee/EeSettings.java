package io.tokengate.ee;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.ServletContext;

import io.tokengate.core.config.ConfigurationException;
import io.tokengate.core.config.Setting;
import io.tokengate.core.config.SettingsSource;

/**
 * Where an EE application's settings come from: MicroProfile Config when the server has it (system properties,
 * environment, {@code microprofile-config.properties}), then the web.xml context-params, then the
 * {@link TokenGateDefinition#settings()} of the annotated class.
 */
final class EeSettings {
    private static final String MP_CONFIG = "org.eclipse.microprofile.config.ConfigProvider";

    private EeSettings() {
    }

    static SettingsSource of(ServletContext context, Class<?> annotated) {
        SettingsSource params = context::getInitParameter;
        SettingsSource source = microProfile(context.getClassLoader()).map(mp -> mp.orElse(params)).orElse(params);
        return annotated == null ? source : source.orElse(SettingsSource.of(annotationSettings(annotated)));
    }

    /** {@code tokengate.mechanism} from MicroProfile Config or the system properties. */
    static boolean mechanismEnabled(ClassLoader loader) {
        SettingsSource source = microProfile(loader).orElse(System::getProperty);
        return "true".equalsIgnoreCase(String.valueOf(source.get(Setting.MECHANISM.key())).trim());
    }

    static Optional<SettingsSource> microProfile(ClassLoader loader) {
        try {
            Class.forName(MP_CONFIG, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.empty();
        }
        org.eclipse.microprofile.config.Config config = org.eclipse.microprofile.config.ConfigProvider.getConfig(loader);
        return Optional.of(key -> config.getOptionalValue(key, String.class).orElse(null));
    }

    static Map<String, String> annotationSettings(Class<?> annotated) {
        Map<String, String> map = new HashMap<>();
        for (String entry : annotated.getAnnotation(TokenGateDefinition.class).settings()) {
            int eq = entry.indexOf('=');
            String key = eq < 0 ? entry.trim() : entry.substring(0, eq).trim();
            if (eq < 1 || java.util.Arrays.stream(Setting.values()).noneMatch(s -> s.key().equals(key))) {
                throw new ConfigurationException(key, "@TokenGateDefinition on " + annotated.getName() + ": '" + entry
                        + "' is not key=value with a TokenGate key");
            }
            map.put(key, entry.substring(eq + 1).trim());
        }
        return map;
    }
}
