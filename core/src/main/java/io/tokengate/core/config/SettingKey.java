package io.tokengate.core.config;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A configuration key of one module, with its default and meaning as the README's configuration table shows them.
 * Each module declares its keys once, as constants of one class ({@link Setting} for the core; {@code ServletSetting}
 * and {@code EeSetting} in the container modules); a test keeps the table equal to every module's keys.
 *
 * @param key               the configuration key, e.g. {@code tokengate.issuer}
 * @param defaultValue      the value used when the setting is absent, or null when there is none (or it is computed,
 *                          see the documented default)
 * @param documentedDefault the default as documented (a value or a phrase), or null when the setting has none;
 *                          {@code defaultValue} when not given
 * @param description       one line for the README's table
 */
public record SettingKey(String key, String defaultValue, String documentedDefault, String description) {
    public SettingKey {
        Objects.requireNonNull(key, "key");
        documentedDefault = documentedDefault != null ? documentedDefault : defaultValue;
    }

    /** The keys a module declares: the {@code public static final SettingKey} constants of {@code holder}, in order. */
    public static List<SettingKey> declaredIn(Class<?> holder) {
        List<SettingKey> keys = new ArrayList<>();
        for (Field f : holder.getDeclaredFields()) {
            int m = f.getModifiers();
            if (f.getType() == SettingKey.class && Modifier.isStatic(m) && Modifier.isPublic(m)) {
                try {
                    keys.add((SettingKey) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return List.copyOf(keys);
    }
}
