package io.tokengate.core.endpoint;

/** The realm of TokenGate's {@code WWW-Authenticate} challenges (RFC 7235 §2.2): Basic at the endpoints, Bearer at resources. */
public final class Realm {
    /** The realm when {@code tokengate.realm} is not set. */
    public static final String DEFAULT = "tokengate";

    private Realm() {
    }

    /**
     * @throws IllegalArgumentException unless printable ASCII without quotes or backslashes (it goes into a quoted string)
     */
    public static String check(String realm) {
        if (realm == null || realm.isEmpty()) {
            throw new IllegalArgumentException("the realm must not be empty");
        }
        for (char c : realm.toCharArray()) {
            if (c == '"' || c == '\\' || c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException("the realm may hold printable ASCII without quotes or backslashes only");
            }
        }
        return realm;
    }
}
