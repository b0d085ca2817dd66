package io.tokengate.servlet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

/** Reads an endpoint's form body itself, every occurrence of a parameter kept, bounded in size. */
final class FormReader {
    private FormReader() {
    }

    /** A body over the limit. */
    static final class TooLarge extends Exception {
        private static final long serialVersionUID = 1L;
    }

    static boolean isForm(String contentType) {
        return contentType != null
                && contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT).equals("application/x-www-form-urlencoded");
    }

    /**
     * The form body, every occurrence of a parameter kept.
     *
     * @throws IOException              when the body ends before its Content-Length (some containers report that as the
     *                                  end of the stream), breaks off, or stalls past the container's read timeout
     * @throws IllegalArgumentException when it is not valid form encoding
     */
    static Map<String, List<String>> read(HttpServletRequest request, int maxRequestSize) throws IOException, TooLarge {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try (InputStream in = request.getInputStream()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (body.size() + n > maxRequestSize) {
                    throw new TooLarge();
                }
                body.write(buffer, 0, n);
            }
        }
        long announced = request.getContentLengthLong();
        if (announced >= 0 && body.size() < announced) {
            throw new IOException("the body ended after " + body.size() + " of " + announced + " bytes");
        }
        Map<String, List<String>> form = new LinkedHashMap<>();
        String text = body.toString(StandardCharsets.UTF_8);
        if (text.isEmpty()) {
            return form;
        }
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            form.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return form;
    }

    /** Reads and drops the rest of an oversized body (up to 4 MiB), so the client reads the error instead of a reset. */
    static void drain(HttpServletRequest request) {
        byte[] buffer = new byte[8192];
        long left = 4L << 20;
        try (InputStream in = request.getInputStream()) {
            int n;
            while (left > 0 && (n = in.read(buffer)) > 0) {
                left -= n;
            }
        } catch (IOException | IllegalStateException e) {
            // the error response is what matters
        }
    }
}
