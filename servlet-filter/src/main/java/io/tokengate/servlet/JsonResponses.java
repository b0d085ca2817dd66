package io.tokengate.servlet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;

import org.jose4j.json.JsonUtil;

/** Writes the small JSON answers of the filter and the endpoints: never cached, never an HTML page. */
public final class JsonResponses {
    private JsonResponses() {
    }

    /** {@code {"error": ..., "error_description": ...}}, or {@code {}} when {@code error} is null. */
    public static void error(HttpServletResponse response, int status, String error, String description) throws IOException {
        if (status == 503) {
            response.setHeader("Retry-After", Integer.toString(io.tokengate.core.endpoint.OAuthError.RETRY_AFTER_SECONDS));
        }
        write(response, status, error == null ? "{}" : JsonUtil.toJson(Map.of("error", error, "error_description", description)));
    }

    /**
     * For read-only endpoints: answers anything but GET and HEAD with a JSON 405 and returns false.
     */
    public static boolean readOnly(jakarta.servlet.http.HttpServletRequest request, HttpServletResponse response) throws IOException {
        if ("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod())) {
            return true;
        }
        response.setHeader("Allow", "GET, HEAD");
        error(response, 405, "invalid_request", "This endpoint is read with GET");
        return false;
    }

    public static void write(HttpServletResponse response, int status, String json) throws IOException {
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Pragma", "no-cache");
        response.setContentType("application/json;charset=UTF-8");
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
