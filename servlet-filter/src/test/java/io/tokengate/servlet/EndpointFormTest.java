package io.tokengate.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;

import org.junit.jupiter.api.Test;

/** How the endpoints read a form body, without a container. */
class EndpointFormTest {
    /** A request whose body is {@code body} while it announces {@code contentLength} bytes (-1: none announced). */
    private static HttpServletRequest request(String body, long contentLength) {
        ByteArrayInputStream bytes = new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8));
        ServletInputStream in = new ServletInputStream() {
            @Override
            public int read() {
                return bytes.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return bytes.read(b, off, len);
            }

            @Override
            public boolean isFinished() {
                return bytes.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
            }
        };
        return (HttpServletRequest) Proxy.newProxyInstance(EndpointFormTest.class.getClassLoader(), new Class<?>[] {HttpServletRequest.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getInputStream" -> in;
                    case "getContentLengthLong" -> contentLength;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void everyOccurrenceOfAParameterIsKept() throws Exception {
        Map<String, List<String>> form = FormReader.read(request("a=1&b=%C3%A9&a=2&c", 18), 1024);
        assertEquals(Map.of("a", List.of("1", "2"), "b", List.of("\u00e9"), "c", List.of("")), form);
        assertEquals(Map.of("x", List.of("y")), FormReader.read(request("x=y", -1), 1024), "chunked: no length announced");
    }

    /** A container may report a body cut short as the end of the stream: the cut-off form is refused, never used. */
    @Test
    void aBodyShorterThanItsContentLengthIsRefused() {
        IOException e = assertThrows(IOException.class, () -> FormReader.read(request("grant_type=refresh_token&refresh_token=ab", 100), 1024));
        assertEquals("the body ended after 41 of 100 bytes", e.getMessage());
    }

    @Test
    void aBodyLargerThanTheLimitIsRefused() {
        assertThrows(FormReader.TooLarge.class, () -> FormReader.read(request("a=" + "x".repeat(2000), 2002), 1024));
    }
}
