package io.tokengate.servlet.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 written byte by byte on a socket to 127.0.0.1, for what a well-behaved client library will not send: a
 * body shorter than its Content-Length, a chunked body without its last chunk, odd methods and headers. One
 * request per connection ({@code Connection: close} is up to the caller).
 */
public final class RawHttp {
    private RawHttp() {
    }

    /** What came back: the status (0 for none), the headers (names in lower case, last value wins) and the body. */
    public record Answer(int status, Map<String, String> headers, String body, long millis) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /**
     * Sends {@code request} as is, then, when {@code halfClose}, shuts the sending side (the server sees the end of
     * the stream); reads the answer for at most {@code timeoutMillis}.
     */
    public static Answer send(int port, byte[] request, boolean halfClose, int timeoutMillis) throws IOException {
        long start = System.nanoTime();
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(timeoutMillis);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            if (halfClose) {
                socket.shutdownOutput();
            }
            ByteArrayOutputStream in = new ByteArrayOutputStream();
            InputStream stream = socket.getInputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = stream.read(buffer)) > 0; ) {
                    in.write(buffer, 0, n);
                    if (complete(in.toByteArray())) {
                        break;
                    }
                }
            } catch (SocketTimeoutException | java.net.SocketException e) {
                // what arrived so far is the answer
            }
            return parse(in.toByteArray(), (System.nanoTime() - start) / 1_000_000);
        }
    }

    public static Answer send(int port, String request, boolean halfClose, int timeoutMillis) throws IOException {
        return send(port, request.getBytes(StandardCharsets.ISO_8859_1), halfClose, timeoutMillis);
    }

    /** Whether the bytes hold a whole answer with a Content-Length body. */
    private static boolean complete(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        for (String line : text.substring(0, end).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return bytes.length - end - 4 >= Integer.parseInt(line.substring(15).trim());
            }
        }
        return false;
    }

    private static Answer parse(byte[] bytes, long millis) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/") || end < 0) {
            return new Answer(0, Map.of(), text, millis);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        String body = new String(bytes, end + 4, bytes.length - end - 4, StandardCharsets.UTF_8);
        return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers, body, millis);
    }
}
