package io.tokengate.sample;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * Requests to the token, revocation and introspection endpoints that a careless or hostile client might send, made
 * from a seed so a failure can be replayed: malformed forms and percent-encodings, repeated and oversized
 * parameters, odd and doubled headers, odd methods and paths, wrong content types, chunked and truncated bodies.
 * Each is one HTTP/1.1 request on its own connection.
 */
final class EndpointFuzz {
    /**
     * One request; whether the client half-closes after sending it (a body that ends early); whether it breaks HTTP
     * itself (a byte a header may not hold, a NUL in the path, a chunk size that is not hex, more than 8 KB of
     * headers), which Payara's HTTP
     * layer refuses with an empty 400 before any application sees it.
     */
    record Case(String description, byte[] bytes, boolean halfClose, boolean malformedHttp) {
    }

    private static final String[] PATHS = {"/oauth/token", "/oauth/revoke", "/oauth/introspect"};
    private static final String[] ODD_PATHS = {"/oauth/token/", "/oauth/token;jsessionid=1", "/oauth//token", "/oauth/token?grant_type=password",
            "/oauth/%74oken", "/oauth/revoke/", "/oauth/introspect/x", "/oauth/token%00", "/oauth/token%2e"};
    private static final String[] METHODS = {"POST", "POST", "POST", "POST", "POST", "GET", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD",
            "FOO", "post", "CONNECT"};
    private static final String[] CONTENT_TYPES = {"application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=UTF-8",
            "APPLICATION/X-WWW-FORM-URLENCODED", "application/x-www-form-urlencoded;charset=ISO-8859-1", "application/json", "text/plain",
            "multipart/form-data; boundary=x", "application/x-www-form-urlencoded, text/plain", ";", "", "\u00e9"};
    private static final String[] NAMES = {"grant_type", "client_id", "client_secret", "refresh_token", "token", "token_type_hint", "scope",
            "username", "password", "code", "redirect_uri", "code_verifier", "x", "", "grant_type[]", "GRANT_TYPE", "%67rant_type"};
    private static final String[] GRANTS = {"refresh_token", "password", "client_credentials", "authorization_code", "implicit", "",
            "refresh_token%00", "urn:ietf:params:oauth:grant-type:jwt-bearer", "REFRESH_TOKEN"};
    private static final String[] CLIENTS = {"demo-client", "demo-spa", "nobody", "", "demo-client%00", "demo%2Dclient", "a".repeat(300)};

    private final Random random;
    private final String refreshToken;

    /**
     * @param refreshToken a live refresh token of demo-client, so some requests reach the refresh lifecycle
     */
    EndpointFuzz(long seed, String refreshToken) {
        this.random = new Random(seed);
        this.refreshToken = refreshToken;
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    List<Case> cases(int count) {
        List<Case> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(next(i));
        }
        return out;
    }

    private Case next(int n) {
        String method = pick(METHODS);
        String path = random.nextInt(8) == 0 ? pick(ODD_PATHS) : pick(PATHS);
        boolean malformed = path.contains("%00");
        StringBuilder what = new StringBuilder("#" + n + " " + method + " " + path);
        byte[] body = body(what);
        List<String> headers = new ArrayList<>();
        headers.add("Host: localhost");
        headers.add("Connection: close");
        if (random.nextInt(6) != 0) {
            String type = pick(CONTENT_TYPES);
            malformed |= type.chars().anyMatch(ch -> ch > 0x7e);
            headers.add("Content-Type: " + type);
        }
        for (int h = random.nextInt(4); h > 0; h--) {
            headers.add(oddHeader(what));
        }
        boolean halfClose = false;
        int framing = random.nextInt(20);
        String head;
        byte[] payload;
        if (framing == 0) { // a body shorter than its Content-Length, then the end of the stream
            headers.add("Content-Length: " + (body.length + 1 + random.nextInt(100)));
            payload = body;
            halfClose = true;
            what.append(" [short body]");
        } else if (framing == 1) {
            headers.add("Transfer-Encoding: chunked");
            payload = chunked(body, true);
            what.append(" [chunked]");
        } else if (framing == 2) { // a chunk size that is not hex, then the end of the stream
            headers.add("Transfer-Encoding: chunked");
            payload = ("zz\r\n" + new String(body, StandardCharsets.ISO_8859_1) + "\r\n0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
            halfClose = true;
            malformed = true;
            what.append(" [bad chunk]");
        } else if (framing == 3) { // chunked without its last chunk, then the end of the stream
            headers.add("Transfer-Encoding: chunked");
            payload = chunked(body, false);
            halfClose = true;
            what.append(" [no last chunk]");
        } else if (framing == 4) {
            headers.add("Content-Length: " + body.length);
            headers.add("Content-Encoding: gzip");
            payload = body;
            what.append(" [claims gzip]");
        } else {
            headers.add("Content-Length: " + body.length);
            payload = body;
        }
        head = method + " " + path + " HTTP/1.1\r\n" + String.join("\r\n", headers) + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.UTF_8);
        if (h.length > 8192) { // more header bytes than the HTTP layer buffers (Payara: header-buffer-length-bytes)
            malformed = true;
            what.append(" [headers over 8 KB]");
        }
        byte[] all = new byte[h.length + payload.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(payload, 0, all, h.length, payload.length);
        return new Case(what.toString(), all, halfClose, malformed);
    }

    private static byte[] chunked(byte[] body, boolean last) {
        StringBuilder b = new StringBuilder();
        int at = 0;
        while (at < body.length) {
            int size = Math.min(7, body.length - at);
            b.append(Integer.toHexString(size)).append("\r\n").append(new String(body, at, size, StandardCharsets.ISO_8859_1)).append("\r\n");
            at += size;
        }
        if (last) {
            b.append("0\r\n\r\n");
        }
        return b.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private byte[] body(StringBuilder what) {
        int kind = random.nextInt(12);
        if (kind == 0) {
            what.append(" [empty]");
            return new byte[0];
        }
        if (kind == 1) { // larger than tokengate.max-request-size
            what.append(" [70 KB]");
            return ("grant_type=password&username=" + "a".repeat(70_000)).getBytes(StandardCharsets.US_ASCII);
        }
        if (kind == 2) { // many parameters
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < 3000; i++) {
                b.append("p").append(i).append("=v&");
            }
            what.append(" [3000 parameters]");
            return b.toString().getBytes(StandardCharsets.US_ASCII);
        }
        if (kind == 3) { // bytes that are not UTF-8, and raw control characters
            what.append(" [raw bytes]");
            byte[] b = new byte[1 + random.nextInt(64)];
            random.nextBytes(b);
            return b;
        }
        if (kind == 4) {
            what.append(" [JSON]");
            return "{\"grant_type\":\"password\",\"username\":\"alice\"}".getBytes(StandardCharsets.US_ASCII);
        }
        StringBuilder form = new StringBuilder();
        for (int p = 1 + random.nextInt(6); p > 0; p--) {
            if (form.length() > 0) {
                form.append(random.nextInt(10) == 0 ? "&&" : "&");
            }
            String name = pick(NAMES);
            form.append(name);
            if (random.nextInt(12) != 0) {
                form.append('=').append(value(name));
            }
            if (random.nextInt(8) == 0) { // the same parameter twice
                form.append('&').append(name).append('=').append(value(name));
            }
        }
        what.append(" [").append(form.length() > 120 ? form.substring(0, 120) + "…" : form).append(']');
        return form.toString().getBytes(StandardCharsets.UTF_8);
    }

    private String value(String name) {
        switch (random.nextInt(10)) {
            case 0:
                return "%zz";
            case 1:
                return "%";
            case 2:
                return "%e9%00%ff";
            case 3:
                return "\u00e9t\u00e9+%2B+%20";
            case 4:
                return "a".repeat(5000);
            default:
                break;
        }
        return switch (name) {
            case "grant_type" -> pick(GRANTS);
            case "client_id" -> pick(CLIENTS);
            case "refresh_token", "token" -> random.nextBoolean() ? refreshToken : random.nextBoolean() ? "a".repeat(43) : "not-a-token";
            case "token_type_hint" -> random.nextBoolean() ? "access_token" : "refresh_token";
            case "username" -> random.nextBoolean() ? "alice" : "mallory";
            case "password" -> random.nextBoolean() ? "alice-password" : "wrong";
            case "scope" -> random.nextBoolean() ? "read write" : "\"\\";
            default -> "x";
        };
    }

    private String oddHeader(StringBuilder what) {
        String basic = "Basic " + Base64.getEncoder().encodeToString("demo-client:demo-secret".getBytes(StandardCharsets.UTF_8));
        String header = switch (random.nextInt(16)) {
            case 0 -> "Authorization: " + basic;
            case 1 -> "Authorization: Basic !!!not-base64";
            case 2 -> "Authorization: Basic " + Base64.getEncoder().encodeToString("no-colon".getBytes(StandardCharsets.UTF_8));
            case 3 -> "Authorization: Bearer abc";
            case 4 -> "Authorization: " + basic + "\r\nAuthorization: " + basic;
            case 5 -> "Authorization: ";
            case 6 -> "Authorization: Basic " + Base64.getEncoder().encodeToString("demo-client:%zz".getBytes(StandardCharsets.UTF_8));
            case 7 -> "Cookie: tokengate-refresh=" + refreshToken;
            case 8 -> "Cookie: tokengate-refresh=a; tokengate-refresh=b";
            case 9 -> "Cookie: tokengate-refresh=\"quoted\"; =; ;;";
            case 10 -> "Origin: http://localhost:" + "8080";
            case 11 -> "Origin: null\r\nX-TokenGate-Refresh: 1";
            case 12 -> "X-TokenGate-Refresh: " + "1".repeat(random.nextInt(3) + 1);
            case 13 -> "User-Agent: " + "u".repeat(7000);
            case 14 -> "X-Forwarded-For: 1.2.3.4, <script>";
            default -> "Accept: text/html";
        };
        what.append(" {").append(header.length() > 60 ? header.substring(0, 60) + "…" : header).append('}');
        return header;
    }
}
