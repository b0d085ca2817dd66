package io.tokengate.servlet.it;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.importer.ExplodedImporter;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** Builds test WARs the way a team would: TokenGate's jars in WEB-INF/lib and a web.xml. */
public final class Wars {
    private Wars() {
    }

    public static WebArchive war(String name, String webXml) {
        return ShrinkWrap.create(WebArchive.class, name + ".war")
                .addAsLibraries(jarOf(io.tokengate.servlet.BearerTokenFilter.class, "tokengate-servlet-filter.jar"),
                        jarOf(io.tokengate.core.TokenGate.class, "tokengate-core.jar"),
                        jarOf(org.jose4j.jwt.JwtClaims.class, "jose4j.jar"),
                        jarOf(org.slf4j.LoggerFactory.class, "slf4j-api.jar"))
                .setWebXML(new StringAsset(webXml));
    }

    /** The jar (or, in a reactor build, the classes folder made into a jar) a class was loaded from. */
    public static JavaArchive jarOf(Class<?> type, String name) {
        File location;
        try {
            location = new File(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (location.isDirectory()) {
            return ShrinkWrap.create(ExplodedImporter.class, name).importDirectory(location).as(JavaArchive.class);
        }
        return ShrinkWrap.create(ZipImporter.class, name).importFrom(location).as(JavaArchive.class);
    }

    /** One web.xml context-param. */
    public static String param(String name, String value) {
        return "  <context-param><param-name>" + name + "</param-name><param-value>" + value + "</param-value></context-param>\n";
    }

    /** web.xml around the given elements. */
    public static String webXml(String... elements) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<web-app xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"6.0\">\n"
                + String.join("", elements) + "</web-app>\n";
    }

    /** Everything the Payara Micro servers of this run logged (arquillian.xml sends it to target/payara-it.log*). */
    public static String serverLog() throws java.io.IOException {
        StringBuilder log = new StringBuilder();
        try (var files = java.nio.file.Files.list(Path.of(System.getProperty("java.io.tmpdir")))) { // Payara may add a rotation suffix
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith("payara-it.log")).toList()) {
                log.append(java.nio.file.Files.readString(p, java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return log.toString();
    }

    /** The HTTP status of a GET on 127.0.0.1 at the deployment's port. */
    public static int statusOf(java.net.URL deployment, String path) throws Exception {
        java.net.URI uri = java.net.URI.create("http://127.0.0.1:" + deployment.getPort() + path);
        return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(uri).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** {@link #work(String)}, emptied: a test that starts servers itself begins with no keys, data or logs. */
    public static Path freshWork(String name) throws java.io.IOException {
        Path work = work(name);
        if (java.nio.file.Files.exists(work)) {
            try (var files = java.nio.file.Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return java.nio.file.Files.createDirectories(work);
    }

    /** A folder under target/ for files the deployment reads (keys, client registry). */
    public static Path work(String name) {
        return Path.of(System.getProperty("java.io.tmpdir"), "it-" + name);
    }
}
