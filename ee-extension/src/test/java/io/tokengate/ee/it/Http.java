package io.tokengate.ee.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import org.jose4j.json.JsonUtil;

/** HTTP to one application on 127.0.0.1 (Payara reports another host; traffic stays on loopback). */
final class Http {
    private final String base;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Http(int port, String contextPath) {
        this.base = "http://127.0.0.1:" + port + contextPath.replaceAll("/$", "");
    }

    static Http of(java.net.URL deployment) {
        return new Http(deployment.getPort(), deployment.getPath());
    }

    URI uri(String path) {
        return URI.create(base + path);
    }

    HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return client.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b);
    }

    HttpResponse<String> post(String path, String form, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b);
    }

    static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    static String bearer(String token) {
        return "Bearer " + token;
    }

    static Map<String, Object> json(HttpResponse<String> r) throws Exception {
        return JsonUtil.parseJson(r.body());
    }

    /** The claims of a JWT, read without checking (the server checks). */
    static Map<String, Object> claims(String jwt) throws Exception {
        return JsonUtil.parseJson(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
    }

    static Map<String, Object> header(String jwt) throws Exception {
        return JsonUtil.parseJson(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[0]), StandardCharsets.UTF_8));
    }

    /** A password grant for {@code user} through client {@code client}; returns the token response. */
    Map<String, Object> password(String client, String secret, String user, String password) throws Exception {
        HttpResponse<String> r = post("/oauth/token", "grant_type=password&username=" + user + "&password=" + password,
                "Authorization", basic(client, secret), "User-Agent", "TokenGate-IT/1");
        assertEquals(200, r.statusCode(), r.body());
        return json(r);
    }

    HttpResponse<String> refresh(String client, String secret, String refreshToken) throws Exception {
        return post("/oauth/token", "grant_type=refresh_token&refresh_token=" + refreshToken, "Authorization", basic(client, secret));
    }

    static void assertRfcError(HttpResponse<String> r, int status, String error) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.body());
        assertEquals(error, json(r).get("error"), r.body());
        assertFalse(r.body().contains("Exception"), "no stack trace");
    }
}
