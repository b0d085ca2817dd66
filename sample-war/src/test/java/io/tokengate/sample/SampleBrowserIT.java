package io.tokengate.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.tokengate.servlet.it.PayaraProcess;
import io.tokengate.servlet.it.Wars;

/**
 * The sample's page in headless Chromium, against the sample WAR as built, on Payara Micro, with 6-second access
 * tokens (2 s clock skew): the page signs in by authorization code + PKCE on the server's login page, its tokens bound
 * to its DPoP key; silent refresh keeps a user signed in past expiry, two tabs refreshing at once stay signed in, and
 * "sign out everywhere" ends the session in every tab. Browser and server share this test's loopback-only network.
 */
class SampleBrowserIT {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static PayaraProcess server;
    static WebDriver browser;
    static String base;

    @BeforeAll
    static void startSampleAndBrowser() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail("Chromium and ChromeDriver are required under CI=true (Debian packages chromium, chromium-driver; .ci/run installs them)");
            }
            Assumptions.assumeTrue(false, "no /usr/bin/chromium or /usr/bin/chromedriver (apt-get install chromium chromium-driver); skipped");
        }
        Path work = Wars.freshWork("sample");
        int port = PayaraProcess.freePort();
        base = "http://localhost:" + port;
        // the sample's clients, but demo-spa without a retry window: two tabs refreshing with one cookie at once
        // would be refresh-token reuse (the family revoked, the user signed out) unless the page serialises them
        Path clients = Files.writeString(work.resolve("clients.properties"), String.join("\n",
                "client.demo-client.secret-sha256=zVd_4lYev_I1BdsLsAYwDHzey9RrwOA8RJr6-sosJb8",
                "client.demo-client.grants=password refresh_token",
                "client.demo-spa.type=public",
                "client.demo-spa.grants=authorization_code refresh_token",
                "client.demo-spa.redirect-uris=${issuer}/",
                "client.demo-spa.cookie-mode=true",
                "client.demo-spa.first-party=true",
                "client.demo-spa.dpop-bound-access-tokens=true",
                "client.demo-spa.retry-window=PT0S", ""));
        server = SampleServer.start("sample", work, port, "tokengate.clients=" + clients, "tokengate.access-token-lifetime=PT6S",
                "tokengate.clock-skew=PT2S");

        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString()); // no driver download
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run");
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build(), options);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.stop();
        }
    }

    /** The element's text, shown or not; empty on a page without it (the login page, a redirect under way). */
    private static String text(String id) {
        return String.valueOf(((JavascriptExecutor) browser).executeScript(
                "const e = document.getElementById(arguments[0]); return e ? e.textContent : ''", id)).trim();
    }

    private static void waitFor(String what, java.util.function.Supplier<Boolean> condition, int seconds) {
        try {
            new WebDriverWait(browser, Duration.ofSeconds(seconds)).withMessage(what).until(d -> condition.get());
        } catch (org.openqa.selenium.TimeoutException e) {
            String page = String.valueOf(js("return document.body ? document.body.innerText : ''"));
            throw new AssertionError(what + " did not happen; the page at " + browser.getCurrentUrl() + " is: "
                    + page.substring(0, Math.min(page.length(), 1500)), e);
        }
    }

    private static Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    /** Status of GET /secret with the given (DPoP-bound) token and a proof of the page's key, fetched from the page. */
    private static long secretStatusWith(String token) {
        return (Long) ((JavascriptExecutor) browser).executeAsyncScript("const done = arguments[1]; const t = arguments[0];"
                + " proof('GET', location.origin + '/secret', t).then(p => fetch('/secret', {headers: {Authorization: 'DPoP ' + t, DPoP: p}}))"
                + ".then(r => done(r.status));", token);
    }

    /** Status of GET /secret with the token sent as a plain bearer token (a downgrade of a DPoP-bound one). */
    private static long secretStatusAsBearer(String token) {
        return (Long) ((JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[1]; fetch('/secret', {headers: {Authorization: 'Bearer ' + arguments[0]}}).then(r => done(r.status));", token);
    }

    private static String callSecret() {
        js("document.getElementById('secret-result').textContent = ''; callSecret();");
        waitFor("a /secret answer", () -> !text("secret-result").isEmpty(), 10);
        return text("secret-result");
    }

    @Test
    void signedInTabsStaySignedInPastExpiryRefreshTogetherAndAllEndWithSignOutEverywhere() throws Exception {
        browser.get(base + "/");
        waitFor("the sign-in form", () -> browser.findElement(By.id("signin-button")).isDisplayed(), 20);
        browser.findElement(By.id("signin-button")).click();
        waitFor("TokenGate's login page", () -> browser.getCurrentUrl().startsWith(base + "/oauth/login"), 20);
        browser.findElement(By.name("username")).sendKeys("alice");
        browser.findElement(By.name("password")).sendKeys("alice-password");
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        waitFor("signed in", () -> "Signed in as alice".equals(text("status")), 20);
        assertEquals(base + "/", browser.getCurrentUrl(), "the code is gone from the address bar");
        String firstToken = (String) js("return accessToken");
        assertEquals("Secret area", callSecret());
        assertEquals(200L, secretStatusWith(firstToken));
        assertEquals(401L, secretStatusAsBearer(firstToken), "a DPoP-bound token sent as a bearer token is refused");
        assertEquals(Boolean.TRUE, js("return typeof claims(accessToken).cnf.jkt === 'string'"), "the token is bound: cnf.jkt");
        String firstTab = browser.getWindowHandle();

        browser.switchTo().newWindow(WindowType.TAB);
        browser.get(base + "/");
        waitFor("the second tab signed in silently with the refresh cookie", () -> "Signed in as alice".equals(text("status")), 20);
        String secondTab = browser.getWindowHandle();

        // 1. past expiry: both tabs refreshed silently and /secret still works, without signing in again
        Thread.sleep(9_000);
        for (String tab : List.of(firstTab, secondTab)) {
            browser.switchTo().window(tab);
            assertEquals("Signed in as alice", text("status"));
            assertEquals("Secret area", callSecret(), "after the first access token expired");
            assertNotEquals(firstToken, js("return accessToken"));
        }
        assertEquals(401L, secretStatusWith(firstToken), "the first access token really expired");

        // 2. both tabs refresh at the same moment (timers aimed at one instant): both stay signed in
        long at = System.currentTimeMillis() + 1500;
        browser.switchTo().window(firstTab);
        long before1 = Long.parseLong(text("refresh-count"));
        js("setTimeout(() => refresh(true), " + at + " - Date.now())");
        browser.switchTo().window(secondTab);
        long before2 = Long.parseLong(text("refresh-count"));
        js("setTimeout(() => refresh(true), " + at + " - Date.now())");
        waitFor("the second tab's refresh", () -> Long.parseLong(text("refresh-count")) > before2, 15);
        assertEquals("Signed in as alice", text("status"));
        assertEquals("Secret area", callSecret());
        browser.switchTo().window(firstTab);
        waitFor("the first tab's refresh", () -> Long.parseLong(text("refresh-count")) > before1, 15);
        assertEquals("Signed in as alice", text("status"));
        assertEquals("Secret area", callSecret());

        // the device list shows this browser
        browser.findElement(By.id("show-devices")).click();
        waitFor("the device list", () -> text("devices").contains("this device: demo-spa"), 10);

        // 3. sign out everywhere: every tab, every device, and every access token, is done
        var otherDevice = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/oauth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("demo-client:demo-secret".getBytes()))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=password&username=alice&password=alice-password")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, otherDevice.statusCode(), otherDevice.body());
        String otherRefresh = otherDevice.body().replaceAll(".*\"refresh_token\":\"([^\"]+)\".*", "$1");
        String otherAccess = otherDevice.body().replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");
        browser.switchTo().window(secondTab);
        String secondTabToken = (String) js("return accessToken");
        browser.switchTo().window(firstTab);
        browser.findElement(By.id("sign-out-everywhere")).click();
        waitFor("signed out", () -> "Signed out".equals(text("status")), 10);
        assertTrue(browser.findElement(By.id("signin-button")).isDisplayed(), "the sign-in form is back");
        assertEquals("HTTP 401", callSecret());
        browser.switchTo().window(secondTab);
        waitFor("the other tab signed out too", () -> "Signed out".equals(text("status")), 10);
        assertEquals("HTTP 401", callSecret());
        assertEquals(401L, secretStatusWith(secondTabToken), "the other tab's access token was cut by the server, not only forgotten");
        Object cookieRefresh = ((JavascriptExecutor) browser).executeAsyncScript("const done = arguments[0];"
                + " proof('POST', TOKEN_ENDPOINT).then(p => fetch('/oauth/token', {method: 'POST', headers: {'Content-Type':"
                + " 'application/x-www-form-urlencoded', 'X-TokenGate-Refresh': '1', DPoP: p},"
                + " body: 'grant_type=refresh_token&client_id=demo-spa'})).then(r => r.json()).then(j => done(j.error || 'tokens issued'));");
        assertTrue(List.of("invalid_request", "invalid_grant").contains(cookieRefresh),
                "the browser holds no working refresh cookie (cleared: invalid_request, or refused: invalid_grant), even with a proof of its key: " + cookieRefresh);
        assertEquals(401L, secretStatusWith(otherAccess), "the other device's access token is cut");
        var otherRefreshed = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/oauth/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("demo-client:demo-secret".getBytes()))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&refresh_token=" + otherRefresh)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(400, otherRefreshed.statusCode(), "the other device is signed out too: " + otherRefreshed.body());
        assertTrue(server.log().contains("TG-0300 TokenGate started"));
    }
}
