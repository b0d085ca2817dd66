package io.tokengate.servlet.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A configuration error (an unreadable keystore) fails the deployment instead of turning into a 500 per request. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ConfigurationErrorIT {
    /** Unique per run, so an older server log cannot satisfy the assertion. */
    static final Path MISSING = Wars.work("config-error").resolve("missing-" + java.util.UUID.randomUUID() + ".p12");

    @Deployment(testable = false)
    static WebArchive war() throws IOException {
        Path work = Wars.work("config-error");
        Files.createDirectories(work);
        String webXml = Wars.webXml(
                Wars.param("tokengate.issuer", "http://localhost:8080")
                + Wars.param("tokengate.keys.source", "pkcs12")
                + Wars.param("tokengate.keys.keystore", MISSING.toString())
                + Wars.param("tokengate.keys.keystore-password", "x")
                + Wars.param("tokengate.keys.active", "signing")
                + Wars.param("tokengate.store", "memory"));
        return Wars.war("config-error", webXml).addAsWebResource(new StringAsset("up"), "index.txt");
    }

    @ArquillianResource
    URL deployment;

    @Test
    void deploymentFailsWithOneMessageNamingTheKey() throws Exception {
        // the managed container does not report a failed application start, so look at the app and the server log
        assertEquals(404, Wars.statusOf(deployment, "/config-error/index.txt"), "the application must not be serving");
        assertTrue(Wars.serverLog().contains("TG-0001 TokenGate configuration: tokengate.keys.keystore: keystore " + MISSING + " does not exist"), "the log names the key and the problem");
    }
}
