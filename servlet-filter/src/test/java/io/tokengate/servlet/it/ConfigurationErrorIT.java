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
        String webXml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<web-app xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"6.0\">\n"
                + "  <context-param><param-name>tokengate.issuer</param-name><param-value>http://localhost:8080</param-value></context-param>\n"
                + "  <context-param><param-name>tokengate.keys.source</param-name><param-value>pkcs12</param-value></context-param>\n"
                + "  <context-param><param-name>tokengate.keys.keystore</param-name><param-value>" + MISSING
                + "</param-value></context-param>\n"
                + "  <context-param><param-name>tokengate.keys.keystore-password</param-name><param-value>x</param-value></context-param>\n"
                + "  <context-param><param-name>tokengate.keys.active</param-name><param-value>signing</param-value></context-param>\n"
                + "  <context-param><param-name>tokengate.store</param-name><param-value>memory</param-value></context-param>\n"
                + "</web-app>\n";
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
