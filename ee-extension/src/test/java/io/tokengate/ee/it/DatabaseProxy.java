package io.tokengate.ee.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A TCP port on this network namespace's loopback that forwards to the machine's PostgreSQL through its Unix
 * socket (the namespace has no other way out), and that a test can cut: {@link #down()} breaks every open
 * connection and refuses new ones, as a database that went away; {@link #up()} lets them through again.
 */
final class DatabaseProxy implements AutoCloseable {
    static final Path POSTGRES_SOCKET = Path.of("/var/run/postgresql/.s.PGSQL.5432");

    private final ServerSocketChannel server;
    private final Path target;
    private final List<SocketChannel> open = new CopyOnWriteArrayList<>();
    private volatile boolean down;

    private DatabaseProxy(Path target) throws IOException {
        this.target = target;
        this.server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        Thread acceptor = new Thread(this::accept, "db-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy to PostgreSQL; skips the test when PostgreSQL is absent (fails under CI=true). */
    static DatabaseProxy postgres() throws IOException {
        if (!Files.exists(POSTGRES_SOCKET)) {
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail("PostgreSQL is required under CI=true but its socket " + POSTGRES_SOCKET + " is absent");
            }
            Assumptions.assumeTrue(false, "PostgreSQL is not running (no " + POSTGRES_SOCKET + "); skipped (under CI=true this fails)");
        }
        return new DatabaseProxy(POSTGRES_SOCKET);
    }

    int port() {
        return ((InetSocketAddress) server.socket().getLocalSocketAddress()).getPort();
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/test";
    }

    /**
     * A fresh, empty schema of database {@code test} (dropped and created again) and the JDBC URL that uses it: the
     * application creates its tables there on first start, and no other test's cleanup touches its rows.
     */
    String freshSchema(String schema) throws java.sql.SQLException {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(jdbcUrl(), "postgres", "");
             java.sql.Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            s.execute("CREATE SCHEMA " + schema);
        }
        return jdbcUrl() + "?currentSchema=" + schema;
    }

    /**
     * A web.xml {@code <data-source>} named {@code name} on {@code url} (through this proxy), with short timeouts and
     * Payara's connection validation, so connections broken by {@link #down()} are noticed.
     */
    static String dataSourceXml(String name, String url) {
        return "  <data-source>\n"
                + "    <name>" + name + "</name>\n"
                + "    <class-name>org.postgresql.ds.PGSimpleDataSource</class-name>\n"
                + "    <url>" + url + "</url>\n"
                + "    <user>postgres</user>\n"
                + "    <password>trust-auth-ignores-it</password>\n"
                + "    <property><name>connectTimeout</name><value>2</value></property>\n"
                + "    <property><name>socketTimeout</name><value>5</value></property>\n"
                + "    <property><name>fish.payara.is-connection-validation-required</name><value>true</value></property>\n"
                + "    <property><name>fish.payara.connection-validation-method</name><value>auto-commit</value></property>\n"
                + "  </data-source>\n";
    }

    /** The WAR of a database test: the EE extension, the PostgreSQL driver, the mechanism test application. */
    static org.jboss.shrinkwrap.api.spec.WebArchive war(String name, String webXml) {
        return io.tokengate.servlet.it.Wars.war(name, webXml).addAsLibraries(
                        io.tokengate.servlet.it.Wars.jarOf(io.tokengate.ee.EeHost.class, "tokengate-ee-extension.jar"),
                        io.tokengate.servlet.it.Wars.jarOf(org.postgresql.Driver.class, "postgresql.jar"))
                .addPackage(io.tokengate.ee.it.mech.MechanismApp.class.getPackage()).addClass(TestIdentityStore.class);
    }

    void down() {
        down = true;
        for (SocketChannel c : open) {
            closeQuietly(c);
        }
        open.clear();
    }

    void up() {
        down = false;
    }

    private void accept() {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                if (down) {
                    closeQuietly(client);
                    continue;
                }
                SocketChannel db = SocketChannel.open(StandardProtocolFamily.UNIX);
                db.connect(UnixDomainSocketAddress.of(target));
                open.add(client);
                open.add(db);
                pump(client, db);
                pump(db, client);
            } catch (IOException e) {
                if (!server.isOpen()) {
                    return;
                }
            }
        }
    }

    private void pump(SocketChannel from, SocketChannel to) {
        Thread t = new Thread(() -> {
            ByteBuffer buffer = ByteBuffer.allocate(16384);
            try {
                while (from.read(buffer) >= 0) {
                    buffer.flip();
                    while (buffer.hasRemaining()) {
                        to.write(buffer);
                    }
                    buffer.clear();
                }
            } catch (IOException e) {
                // cut or closed
            }
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }, "db-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        down();
    }
}
