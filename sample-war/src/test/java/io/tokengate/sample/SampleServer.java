package io.tokengate.sample;

import java.io.File;
import java.nio.file.Path;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import io.tokengate.servlet.it.PayaraProcess;

/** The sample WAR as built, with test settings added as MicroProfile Config, on a Payara Micro of its own at "/". */
final class SampleServer {
    private SampleServer() {
    }

    /**
     * Starts the sample on {@code port}, its issuer http://localhost:{@code port} and its keys in {@code work}, plus
     * {@code settings} (lines of {@code key=value}); returns when /public answers.
     */
    static PayaraProcess start(String name, Path work, int port, String... settings) throws Exception {
        String config = "tokengate.issuer=http://localhost:" + port + "\ntokengate.keys.directory=" + work.resolve("keys") + "\n"
                + String.join("\n", settings) + "\n";
        WebArchive war = ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("sample.war")))
                .addAsResource(new StringAsset(config), "META-INF/microprofile-config.properties");
        Path file = work.resolve("ROOT.war");
        war.as(ZipExporter.class).exportTo(file.toFile(), true);
        return new PayaraProcess(name, file, port, work, "--nocluster", "--contextroot", "/").start("/public");
    }
}
