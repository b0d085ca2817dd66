package io.tokengate.ee;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import jakarta.servlet.ServletContext;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import io.tokengate.core.config.ConfigurationException;
import io.tokengate.core.config.Setting;
import io.tokengate.core.config.SettingKey;
import io.tokengate.core.config.SettingsSource;
import io.tokengate.servlet.ServletSetting;

/**
 * Where an EE application's settings come from: MicroProfile Config when the server has it (system properties,
 * environment, {@code microprofile-config.properties}), then the web.xml context-params, then the
 * {@link TokenGateDefinition#settings()} of the annotated class.
 */
final class EeSettings {
    private static final String MP_CONFIG = "org.eclipse.microprofile.config.ConfigProvider";

    /** Every key of every module. */
    static final List<SettingKey> ALL_KEYS = Stream.of(Setting.class, ServletSetting.class, EeSetting.class)
            .flatMap(module -> SettingKey.declaredIn(module).stream()).toList();

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
        return "true".equalsIgnoreCase(String.valueOf(source.get(EeSetting.MECHANISM.key())).trim());
    }

    static Optional<SettingsSource> microProfile(ClassLoader loader) {
        try {
            Class.forName(MP_CONFIG, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.empty();
        }
        Config config = ConfigProvider.getConfig(loader);
        return Optional.of(key -> config.getOptionalValue(key, String.class).orElse(null));
    }

    static Map<String, String> annotationSettings(Class<?> annotated) {
        Map<String, String> map = new HashMap<>();
        for (String entry : annotated.getAnnotation(TokenGateDefinition.class).settings()) {
            int eq = entry.indexOf('=');
            String key = eq < 0 ? entry.trim() : entry.substring(0, eq).trim();
            if (eq < 1 || ALL_KEYS.stream().noneMatch(s -> s.key().equals(key))) {
                throw new ConfigurationException(key, "@TokenGateDefinition on " + annotated.getName() + ": '" + entry
                        + "' is not key=value with a TokenGate key");
            }
            map.put(key, entry.substring(eq + 1).trim());
        }
        return map;
    }
}
