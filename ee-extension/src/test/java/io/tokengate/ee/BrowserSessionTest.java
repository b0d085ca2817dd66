package io.tokengate.ee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;

import org.junit.jupiter.api.Test;

/**
 * Form actions and return addresses come from the application's context path and the servlet mapping, never from the
 * raw request URI: a request the container routes to the login page despite {@code //evil.example/..;/} in its path
 * must not make the form post the password there, nor the login redirect there.
 */
class BrowserSessionTest {

    private static HttpServletRequest request(String rawUri, String contextPath, String servletPath) {
        ServletContext context = (ServletContext) Proxy.newProxyInstance(BrowserSessionTest.class.getClassLoader(),
                new Class<?>[] {ServletContext.class}, (p, m, a) -> m.getName().equals("getContextPath") ? contextPath : null);
        return (HttpServletRequest) Proxy.newProxyInstance(BrowserSessionTest.class.getClassLoader(), new Class<?>[] {HttpServletRequest.class},
                (p, m, a) -> switch (m.getName()) {
                    case "getRequestURI" -> rawUri;
                    case "getContextPath" -> rawUri.substring(0, rawUri.indexOf("/..;/") + 1);
                    case "getServletPath" -> servletPath;
                    case "getServletContext" -> context;
                    default -> null;
                });
    }

    @Test
    void theFormActionIsTheMappedPathNotTheRawUri() {
        assertEquals("/oauth/login", BrowserSession.ownPath(request("//evil.example/..;/oauth/login", "", "/oauth/login")));
        assertEquals("/shop/oauth/authorize", BrowserSession.ownPath(request("/shop//evil.example/..;/oauth/authorize", "/shop", "/oauth/authorize")));
        assertEquals("/shop/", BrowserSession.inApplication(request("//x/..;/", "/shop", "/"), "/"));
    }

    @Test
    void onlyAPathOnThisServerIsAReturnAddress() {
        assertTrue(BrowserSession.localPath("/oauth/authorize?client_id=a"));
        assertFalse(BrowserSession.localPath("//evil.example/x"));
        assertFalse(BrowserSession.localPath("/\\evil.example/x"));
        assertFalse(BrowserSession.localPath("https://evil.example/"));
        assertFalse(BrowserSession.localPath(null));
    }
}
