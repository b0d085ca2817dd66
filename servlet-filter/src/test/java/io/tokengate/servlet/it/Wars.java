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
final class Wars {
    private Wars() {
    }

    static WebArchive war(String name, String webXml) {
        return ShrinkWrap.create(WebArchive.class, name + ".war")
                .addAsLibraries(jarOf(io.tokengate.servlet.BearerTokenFilter.class, "tokengate-servlet-filter.jar"),
                        jarOf(io.tokengate.core.TokenGate.class, "tokengate-core.jar"),
                        jarOf(org.jose4j.jwt.JwtClaims.class, "jose4j.jar"),
                        jarOf(org.slf4j.LoggerFactory.class, "slf4j-api.jar"))
                .setWebXML(new StringAsset(webXml));
    }

    /** The jar (or, in a reactor build, the classes folder made into a jar) a class was loaded from. */
    static JavaArchive jarOf(Class<?> type, String name) {
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

    /** A folder under target/ for files the deployment reads (keys, client registry). */
    static Path work(String name) {
        return Path.of(System.getProperty("java.io.tmpdir"), "it-" + name);
    }
}
