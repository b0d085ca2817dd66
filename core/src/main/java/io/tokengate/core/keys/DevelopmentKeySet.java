package io.tokengate.core.keys;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

import io.tokengate.core.log.CoreLog;

/**
 * A key set that TokenGate generates on first start and keeps in a directory of its own, so a restart keeps every
 * issued token valid. The directory is created owner-only ({@code rwx------}) and the key file
 * {@value #FILE_NAME} (a JWK Set with private parts and {@code tokengate_status} members) owner-only
 * ({@code rw-------}). Rotation and retirement through the returned {@link KeyRing} are written back,
 * atomically. Meant for development and for servers whose administrators have not provided a keystore.
 */
public final class DevelopmentKeySet implements ManagedKeys {
    /** The key file inside the directory. */
    public static final String FILE_NAME = "tokengate-keys.jwks.json";

    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

    private final Path directory;
    private final SigningAlgorithm algorithm;
    private final KeyRing ring;

    private DevelopmentKeySet(Path directory, SigningAlgorithm algorithm, KeyRing ring) {
        this.directory = directory;
        this.algorithm = algorithm;
        this.ring = ring;
    }

    /**
     * Loads the key set kept in {@code directory}, or generates one active key of {@code algorithm} and
     * stores it there when the directory holds none.
     */
    public static DevelopmentKeySet openOrCreate(Path directory, SigningAlgorithm algorithm, Clock clock, Duration previousKeyRetention) {
        Path file = directory.resolve(FILE_NAME);
        KeySet initial;
        if (Files.exists(file)) {
            tightenExisting(directory, file);
            initial = KeySources.jwkSet(file, null, null, algorithm == SigningAlgorithm.PS256 ? SigningAlgorithm.PS256 : SigningAlgorithm.RS256);
        } else {
            initial = KeySet.of(KeyGenerator.generate(algorithm));
            write(directory, initial);
        }
        KeyRing ring = new KeyRing(initial, clock, previousKeyRetention, set -> write(directory, set));
        return new DevelopmentKeySet(directory, algorithm, ring);
    }

    @Override
    public KeyRing keyRing() {
        return ring;
    }

    public Path file() {
        return directory.resolve(FILE_NAME);
    }

    /** Generates a new key and publishes it as the next key, unless one is staged already. */
    public KeySet stageNextIfAbsent() {
        synchronized (ring) {
            if (ring.current().next().isPresent()) {
                return ring.current();
            }
            return ring.stageNext(KeyGenerator.generate(algorithm));
        }
    }

    /** Planned rotation in one step: stages a generated next key if none is staged, then rotates. */
    @Override
    public KeySet rotate() {
        synchronized (ring) {
            stageNextIfAbsent();
            return ring.rotate();
        }
    }

    /**
     * Emergency retirement of {@code kid}; when it is the active key and no next key is staged, a new key is
     * generated to take its place.
     */
    @Override
    public KeySet retire(String kid) {
        synchronized (ring) {
            if (ring.current().active().kid().equals(kid)) {
                stageNextIfAbsent();
            }
            return ring.retire(kid);
        }
    }

    /** A key file found on disk is made owner-only again, whoever loosened it. */
    private static void tightenExisting(Path directory, Path file) {
        try {
            if (posix(file)) {
                if (!Files.getPosixFilePermissions(file).equals(OWNER_FILE)) {
                    CoreLog.KEY_FILE_EXPOSED.log(System.getLogger(DevelopmentKeySet.class.getName()), file);
                    Files.setPosixFilePermissions(file, OWNER_FILE);
                }
                Files.setPosixFilePermissions(directory, OWNER_DIR);
            }
        } catch (IOException e) {
            throw new KeySetException("cannot make " + file + " owner-only: " + e.getMessage(), e);
        }
    }

    private static void write(Path directory, KeySet set) {
        Path tmp = null;
        try {
            createOwnerOnlyDirectory(directory);
            // a unique temporary file: two servers sharing the directory never write into each other's
            tmp = posix(directory)
                    ? Files.createTempFile(directory, FILE_NAME, ".tmp", PosixFilePermissions.asFileAttribute(OWNER_FILE))
                    : Files.createTempFile(directory, FILE_NAME, ".tmp");
            byte[] bytes = KeySetJson.writeWithPrivateKeys(set).getBytes(StandardCharsets.UTF_8);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(bytes));
                ch.force(true); // on disk before the rename makes it the key file
            }
            Files.move(tmp, directory.resolve(FILE_NAME), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
        } catch (IOException e) {
            throw new KeySetException("cannot write the key set to " + directory + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort; the file is owner-only
                }
            }
        }
    }

    private static boolean posix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static void createOwnerOnlyDirectory(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            if (posix(directory)) {
                Files.setPosixFilePermissions(directory, OWNER_DIR);
            }
            return;
        }
        if (posix(directory)) {
            Path parent = directory.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try {
                Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(OWNER_DIR));
            } catch (FileAlreadyExistsException e) {
                Files.setPosixFilePermissions(directory, OWNER_DIR);
            }
        } else {
            Files.createDirectories(directory);
        }
    }

    @Override
    public String toString() {
        return "DevelopmentKeySet[" + directory + ", " + algorithm.jwsName() + "]";
    }
}
