package io.tokengate.core.keys;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads a {@link KeySet} from what an administrator has: a PKCS#12 keystore, PEM files or a JWK Set file.
 * (A generated development key set is {@link DevelopmentKeySet}.) Every failure is a {@link KeySetException}
 * whose message names the file or alias and never contains a password or key material.
 */
public final class KeySources {
    private KeySources() {
    }

    /**
     * A PKCS#12 keystore. Each alias must hold a private key entry (its certificate carries the public key),
     * except previous aliases, which may hold only a trusted certificate.
     *
     * @param file            the keystore
     * @param password        the store password (also used for the key entries)
     * @param activeAlias     the alias of the key that signs
     * @param nextAlias       the alias of the key published before it signs, or null
     * @param previousAliases aliases of keys that still verify (until removed from the configuration)
     * @param rsaAlgorithm    RS256 or PS256 for RSA keys; EC P-256 keys sign ES256 and Ed25519 keys EdDSA
     */
    public static KeySet pkcs12(Path file, char[] password, String activeAlias, String nextAlias,
                                List<String> previousAliases, SigningAlgorithm rsaAlgorithm) {
        KeyStore store = loadPkcs12(file, password);
        SigningKey active = fromStore(store, file, activeAlias, password, rsaAlgorithm, true);
        SigningKey next = nextAlias == null || nextAlias.isBlank() ? null : fromStore(store, file, nextAlias, password, rsaAlgorithm, true);
        List<KeySet.PreviousKey> previous = new ArrayList<>();
        if (previousAliases != null) {
            for (String alias : previousAliases) {
                previous.add(new KeySet.PreviousKey(fromStore(store, file, alias, password, rsaAlgorithm, false), null));
            }
        }
        return KeySet.of(active, next, previous);
    }

    /**
     * A secret key (a key-encryption key) of a PKCS#12 keystore, e.g. made by
     * {@code keytool -genseckey -keyalg AES -keysize 256 -storetype PKCS12}; its entry has the store's password.
     */
    public static javax.crypto.SecretKey secretKey(Path file, char[] password, String alias) {
        KeyStore store = loadPkcs12(file, password);
        try {
            Key key = store.containsAlias(alias) ? store.getKey(alias, password) : null;
            if (!(key instanceof javax.crypto.SecretKey secret)) {
                throw new KeySetException(KeySetException.Fault.ENTRY, alias, "keystore " + file + " has no secret key under alias '" + alias + "'");
            }
            return new javax.crypto.spec.SecretKeySpec(secret.getEncoded(), "AES");
        } catch (UnrecoverableKeyException e) {
            throw new KeySetException(KeySetException.Fault.PASSWORD, alias, "keystore " + file + ": wrong password for alias '" + alias + "'");
        } catch (GeneralSecurityException e) {
            throw new KeySetException(KeySetException.Fault.ENTRY, alias, "keystore " + file + ": cannot read alias '" + alias + "': " + e.getMessage());
        }
    }

    private static KeyStore loadPkcs12(Path file, char[] password) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            return store;
        } catch (NoSuchFileException e) {
            throw new KeySetException(KeySetException.Fault.FILE, null, "keystore " + file + " does not exist");
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password")) {
                throw new KeySetException(KeySetException.Fault.PASSWORD, null, "keystore " + file + ": wrong password");
            }
            throw new KeySetException(KeySetException.Fault.FILE, null, "keystore " + file + " cannot be read as PKCS#12: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new KeySetException(KeySetException.Fault.FILE, null, "keystore " + file + " cannot be read as PKCS#12: " + e.getMessage());
        }
    }

    private static SigningKey fromStore(KeyStore store, Path file, String alias, char[] password,
                                        SigningAlgorithm rsaAlgorithm, boolean mustSign) {
        try {
            if (alias == null || !store.containsAlias(alias)) {
                throw new KeySetException(KeySetException.Fault.ENTRY, alias, "keystore " + file + " has no alias '" + alias + "'");
            }
            Certificate certificate = store.getCertificate(alias);
            if (certificate == null) {
                throw new KeySetException(KeySetException.Fault.ENTRY, alias, "keystore " + file + ": alias '" + alias + "' has no certificate");
            }
            PublicKey publicKey = certificate.getPublicKey();
            Key key = store.isKeyEntry(alias) ? store.getKey(alias, password) : null;
            if (key == null && mustSign) {
                throw new KeySetException(KeySetException.Fault.ENTRY, alias, "keystore " + file + ": alias '" + alias + "' holds no private key");
            }
            SigningAlgorithm algorithm = SigningAlgorithm.forKey(publicKey, rsaAlgorithm);
            return key == null ? SigningKey.verifyOnly(algorithm, publicKey) : SigningKey.of(algorithm, publicKey, (PrivateKey) key);
        } catch (UnrecoverableKeyException e) {
            throw new KeySetException(KeySetException.Fault.PASSWORD, alias, "keystore " + file + ": wrong password for alias '" + alias + "'");
        } catch (GeneralSecurityException e) {
            throw new KeySetException(KeySetException.Fault.ENTRY, alias, "keystore " + file + ": cannot read alias '" + alias + "': " + e.getMessage());
        } catch (KeySetException e) {
            if (e.fault() != KeySetException.Fault.OTHER) {
                throw e;
            }
            throw new KeySetException(KeySetException.Fault.ENTRY, alias, "keystore " + file + ", alias '" + alias + "': " + e.getMessage());
        }
    }

    private static final Pattern PEM_BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");

    /**
     * PEM files. Each file holds one key: an unencrypted PKCS#8 {@code PRIVATE KEY} and, for EC and Ed25519,
     * its {@code PUBLIC KEY} or {@code CERTIFICATE} in the same file (RSA derives the public key).
     * Previous keys may hold only the public part.
     *
     * @param active       the key that signs
     * @param next         the key published before it signs, or null
     * @param previous     keys that still verify
     * @param rsaAlgorithm RS256 or PS256 for RSA keys
     */
    public static KeySet pem(Path active, Path next, List<Path> previous, SigningAlgorithm rsaAlgorithm) {
        SigningKey activeKey = fromPem(active, rsaAlgorithm, true);
        SigningKey nextKey = next == null ? null : fromPem(next, rsaAlgorithm, true);
        List<KeySet.PreviousKey> previousKeys = new ArrayList<>();
        if (previous != null) {
            for (Path p : previous) {
                previousKeys.add(new KeySet.PreviousKey(fromPem(p, rsaAlgorithm, false), null));
            }
        }
        return KeySet.of(activeKey, nextKey, previousKeys);
    }

    /** One PEM key; every failure names the file as the entry at fault. */
    static SigningKey fromPem(Path file, SigningAlgorithm rsaAlgorithm, boolean mustSign) {
        try {
            return readPem(file, rsaAlgorithm, mustSign);
        } catch (KeySetException e) {
            throw new KeySetException(KeySetException.Fault.ENTRY, file.toString(), e.getMessage(), e.getCause());
        }
    }

    private static SigningKey readPem(Path file, SigningAlgorithm rsaAlgorithm, boolean mustSign) {
        String text = readText(file, "PEM file");
        PrivateKey privateKey = null;
        PublicKey publicKey = null;
        Matcher m = PEM_BLOCK.matcher(text);
        boolean any = false;
        while (m.find()) {
            any = true;
            String type = m.group(1);
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(m.group(2));
            } catch (IllegalArgumentException e) {
                throw new KeySetException("PEM file " + file + ": the " + type + " block is not valid base64");
            }
            switch (type) {
                case "PRIVATE KEY":
                    privateKey = parsePrivate(der, file);
                    break;
                case "PUBLIC KEY":
                    publicKey = parsePublic(der, file);
                    break;
                case "CERTIFICATE":
                    try {
                        publicKey = CertificateFactory.getInstance("X.509")
                                .generateCertificate(new ByteArrayInputStream(der)).getPublicKey();
                    } catch (GeneralSecurityException e) {
                        throw new KeySetException("PEM file " + file + ": the CERTIFICATE block cannot be parsed");
                    }
                    break;
                case "RSA PRIVATE KEY":
                case "EC PRIVATE KEY":
                case "ENCRYPTED PRIVATE KEY":
                    throw new KeySetException("PEM file " + file + " holds a " + type
                            + "; convert it to an unencrypted PKCS#8 PRIVATE KEY (openssl pkcs8 -topk8 -nocrypt)");
                default:
                    // other blocks (e.g. EC PARAMETERS) are ignored
            }
        }
        if (!any) {
            throw new KeySetException("PEM file " + file + " holds no PEM block");
        }
        if (publicKey == null && privateKey instanceof RSAPrivateCrtKey) {
            RSAPrivateCrtKey rsa = (RSAPrivateCrtKey) privateKey;
            try {
                publicKey = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
            } catch (GeneralSecurityException e) {
                throw new KeySetException("PEM file " + file + ": cannot derive the RSA public key");
            }
        }
        if (publicKey == null) {
            throw new KeySetException("PEM file " + file + " needs its PUBLIC KEY (or CERTIFICATE) block beside the private key");
        }
        if (privateKey == null && mustSign) {
            throw new KeySetException("PEM file " + file + " holds no PRIVATE KEY, but this key must sign");
        }
        try {
            SigningAlgorithm algorithm = SigningAlgorithm.forKey(publicKey, rsaAlgorithm);
            return privateKey == null ? SigningKey.verifyOnly(algorithm, publicKey) : SigningKey.of(algorithm, publicKey, privateKey);
        } catch (KeySetException e) {
            throw new KeySetException("PEM file " + file + ": " + e.getMessage());
        }
    }

    private static PrivateKey parsePrivate(byte[] der, Path file) {
        for (String type : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(type).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException | ClassCastException e) {
                // try the next key type
            }
        }
        throw new KeySetException("PEM file " + file + ": the PRIVATE KEY is not an RSA, EC or Ed25519 PKCS#8 key");
    }

    private static PublicKey parsePublic(byte[] der, Path file) {
        for (String type : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(type).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException | ClassCastException e) {
                // try the next key type
            }
        }
        throw new KeySetException("PEM file " + file + ": the PUBLIC KEY is not an RSA, EC or Ed25519 key");
    }

    /**
     * A JWK Set file (RFC 7517 §5) holding private keys. The active key is the one whose {@code kid} (as
     * written in the file, or its thumbprint) is {@code activeKid}, or, when that is null, the first key with
     * a private part; {@code nextKid} names the next key; the other keys verify as previous keys.
     * Keys may also carry {@code tokengate_status}, as the files of a {@link DevelopmentKeySet} do.
     */
    public static KeySet jwkSet(Path file, String activeKid, String nextKid, SigningAlgorithm rsaAlgorithm) {
        try {
            return KeySetJson.read(readText(file, "JWK set file"), activeKid, nextKid, rsaAlgorithm);
        } catch (KeySetException e) {
            throw new KeySetException(e.fault() == KeySetException.Fault.ENTRY ? e.fault() : KeySetException.Fault.FILE, e.entry(),
                    e.getMessage().startsWith("JWK set file ") ? e.getMessage() : "JWK set file " + file + ": " + e.getMessage());
        }
    }

    static String readText(Path file, String what) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new KeySetException(KeySetException.Fault.FILE, file.toString(), what + " " + file + " does not exist");
        } catch (IOException e) {
            throw new KeySetException(KeySetException.Fault.FILE, file.toString(), what + " " + file + " cannot be read: " + e.getMessage());
        }
    }
}
