package io.tokengate.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.jose4j.json.JsonUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tokengate.servlet.it.Wars;

/**
 * The sample WAR, unchanged, on WildFly (Hibernate instead of EclipseLink, Elytron instead of Payara's security,
 * Undertow, RESTEasy), set up with the README's WildFly steps only: tokengate.cli, and the settings as system
 * properties. Its store is on WildFly's default datasource (ExampleDS, H2 in memory), which TokenGate warns about.
 */
class SampleOnWildFlyIT {
    private static final String BASIC = "Basic " + Base64.getEncoder().encodeToString("demo-client:demo-secret".getBytes(StandardCharsets.US_ASCII));
    static WildFlyProcess server;
    static String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        Path work = Wars.freshWork("sample-wildfly");
        server = new WildFlyProcess(work.resolve("wildfly.log"));
        base = "http://localhost:" + server.port();
        server.start(Path.of(System.getProperty("sample.war")), List.of("-Dtokengate.issuer=" + base,
                "-Dtokengate.keys.directory=" + work.resolve("keys"), "-Dtokengate.datasource=java:jboss/datasources/ExampleDS"));
    }

    /** After every test: WildFly logged no ERROR line (e.g. Undertow's, had a refusal been left incomplete). */
    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            try {
                assertEquals(List.of(), server.log().lines().filter(l -> l.contains(" ERROR [")).toList(), "no ERROR line in WildFly's log");
            } finally {
                server.close();
            }
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> token(String form) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + "/oauth/token")).header("Authorization", BASIC)
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b);
    }

    private static Map<String, Object> json(HttpResponse<String> r) throws Exception {
        return JsonUtil.parseJson(r.body());
    }

    @Test
    void grantsRotationAndReuseDetectionWorkOnHibernate() throws Exception {
        HttpResponse<String> first = token("grant_type=password&username=alice&password=alice-password");
        assertEquals(200, first.statusCode(), first.body());
        String refresh = (String) json(first).get("refresh_token");
        HttpResponse<String> second = token("grant_type=refresh_token&refresh_token=" + refresh);
        assertEquals(200, second.statusCode(), "a rotation through the JPA store on Hibernate: " + second.body());
        String next = (String) json(second).get("refresh_token");
        assertNotEquals(refresh, next);
        Thread.sleep(10_500); // past the retry window: the old token is now a reuse
        HttpResponse<String> reuse = token("grant_type=refresh_token&refresh_token=" + refresh);
        assertEquals("invalid_grant", json(reuse).get("error"), reuse.body());
        assertEquals("invalid_grant", json(token("grant_type=refresh_token&refresh_token=" + next)).get("error"),
                "the reuse revoked the family");
        assertEquals("invalid_grant", json(token("grant_type=password&username=alice&password=wrong")).get("error"),
                "the identity store refuses a wrong password");
    }

    @Test
    void theMechanismAuthenticatesTokensAndAnswersRfc6750ChallengesInJson() throws Exception {
        String access = (String) json(token("grant_type=password&username=alice&password=alice-password")).get("access_token");
        HttpResponse<String> secret = get("/secret", "Authorization", "Bearer " + access);
        assertEquals(200, secret.statusCode(), "Elytron lets the mechanism's caller in (tokengate.cli): " + secret.body());
        assertEquals("Secret area", secret.body().trim());
        HttpResponse<String> anonymous = get("/secret");
        assertEquals(401, anonymous.statusCode());
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer realm=\"tokengate\""),
                anonymous.headers().map().toString());
        assertTrue(anonymous.body().startsWith("{"), "JSON, not an HTML page: " + anonymous.body());
        HttpResponse<String> forged = get("/secret", "Authorization", "Bearer " + access.substring(0, access.length() - 4) + "AAAA");
        assertEquals(401, forged.statusCode());
        assertEquals("invalid_token", json(forged).get("error"), "TokenGate's JSON body, not the container's error page: " + forged.body());
        assertTrue(forged.headers().firstValue("WWW-Authenticate").orElse("").contains("error=\"invalid_token\""));
        assertTrue(server.log().lines().noneMatch(l -> l.contains("ERROR") && l.contains("Response already commit")),
                "committing the answer leaves Elytron nothing to complain about");
    }

    @Test
    void aStrictThirdPartyClientCompletesCodeWithPkceAndDpopOnWildFly() throws Exception {
        Map<String, Object> seen = OAuth4WebApi.run(base);
        assertEquals("200 Secret area", seen.get("secret"), seen.toString());
        assertEquals(true, seen.get("rotated"), seen.toString());
        assertEquals("200 Secret area", seen.get("secretAfterSecondRefresh"), seen.toString());
    }

    @Test
    void theDefaultDatasourceIsWarnedAboutAtStart() throws Exception {
        String log = server.log();
        assertTrue(log.contains("TG-0300 TokenGate started for /"), "started");
        assertTrue(log.contains("TG-0305 the refresh tokens of / are stored in java:jboss/datasources/ExampleDS, a database in memory"),
                "WildFly's ExampleDS is H2 in memory");
    }
}
