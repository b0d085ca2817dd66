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

/** A bad init-param of the filter fails the deployment: the application never runs unprotected. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class FilterFilterConfigurationErrorIT {
    /** Unique per run, so an older server log cannot satisfy the assertion. */
    static final String BAD = "nonce-" + java.util.UUID.randomUUID();

    @Deployment(testable = false)
    static WebArchive war() throws IOException {
        Path work = Wars.work("filter-error");
        Files.createDirectories(work);
        String webXml = Wars.webXml(
                Wars.param("tokengate.issuer", "http://localhost:8080/filter-error")
                + Wars.param("tokengate.keys.directory", work.resolve("keys").toString())
                + Wars.param("tokengate.store", "memory")
                + "  <filter><filter-name>tokengate</filter-name><filter-class>io.tokengate.servlet.BearerTokenFilter</filter-class>\n"
                + "    <init-param><param-name>tokengate.required-scopes</param-name><param-value>" + BAD + "</param-value></init-param>\n"
                + "  </filter>\n"
                + "  <filter-mapping><filter-name>tokengate</filter-name><url-pattern>/*</url-pattern></filter-mapping>\n");
        return Wars.war("filter-error", webXml).addAsWebResource(new StringAsset("up"), "index.txt");
    }

    @ArquillianResource
    URL deployment;

    @Test
    void deploymentFailsWithOneMessageNamingTheKey() throws Exception {
        // the managed container does not report a failed application start, so look at the app and the server log
        assertEquals(404, Wars.statusOf(deployment, "/filter-error/index.txt"), "the application must not be serving");
        assertTrue(Wars.serverLog().contains("TG-0001 TokenGate configuration: tokengate.required-scopes: entry '" + BAD + "' is not /pattern=scope scope"), "the log names the key and the problem");
    }
}
