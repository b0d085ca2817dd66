package io.tokengate.core.keys;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

/** Generates fresh signing keys: RSA 2048 bits for RS256/PS256, P-256 for ES256, Ed25519 for EdDSA. */
public final class KeyGenerator {
    private KeyGenerator() {
    }

    public static SigningKey generate(SigningAlgorithm algorithm) {
        try {
            KeyPairGenerator generator;
            switch (algorithm) {
                case RS256:
                case PS256:
                    generator = KeyPairGenerator.getInstance("RSA");
                    generator.initialize(2048);
                    break;
                case ES256:
                    generator = KeyPairGenerator.getInstance("EC");
                    generator.initialize(new ECGenParameterSpec("secp256r1"));
                    break;
                default:
                    generator = KeyPairGenerator.getInstance("Ed25519");
                    break;
            }
            KeyPair pair = generator.generateKeyPair();
            return SigningKey.of(algorithm, pair.getPublic(), pair.getPrivate());
        } catch (GeneralSecurityException e) {
            throw new KeySetException("this JVM cannot generate " + algorithm.jwsName() + " keys", e);
        }
    }
}
