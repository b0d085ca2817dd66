package io.tokengate.core.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tokengate.core.client.ClientRegistration;
import io.tokengate.core.client.ClientRegistry;
import io.tokengate.core.client.ClientType;
import io.tokengate.core.client.GrantType;
import io.tokengate.core.revocation.InMemoryRevocationRegistry;
import io.tokengate.core.revocation.RevocationFeed;
import io.tokengate.core.support.EndpointFixture;
import io.tokengate.core.support.MutableClock;

/** Who may read the revocation feed, what it answers, and the conditional request that keeps an idle feed cheap. */
class RevocationFeedEndpointTest {
    private final MutableClock clock = MutableClock.startingAt("2026-12-02T12:00:00Z");
    private final InMemoryRevocationRegistry registry = new InMemoryRevocationRegistry(clock, Duration.ofHours(1), Duration.ofSeconds(30));
    private final RevocationFeed feed = new RevocationFeed(clock);
    private final RevocationFeedEndpoint endpoint = new RevocationFeedEndpoint(ClientRegistry.of(List.of(
            ClientRegistration.builder("rs").secret("rs-secret").grants(GrantType.CLIENT_CREDENTIALS).revocationFeed(true).build(),
            ClientRegistration.builder("app").secret("app-secret").grants(GrantType.CLIENT_CREDENTIALS).build(),
            ClientRegistration.builder("spa").type(ClientType.PUBLIC).build())), feed, Realm.DEFAULT);

    {
        registry.listen(feed::record);
        registry.revokeAccessToken("jti-1", clock.instant().plusSeconds(300));
        registry.revokeSubject("alice", clock.instant().plusMillis(700));
        feed.retiredKey("old-key", clock.instant().plusSeconds(3600));
    }

    private static EndpointRequest get(String authorization, String cursor, String ifNoneMatch) {
        EndpointRequest.Builder b = EndpointRequest.builder("GET");
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (ifNoneMatch != null) {
            b.header("If-None-Match", ifNoneMatch);
        }
        if (cursor != null) {
            b.param("cursor", cursor);
        }
        return b.build();
    }

    @Test
    void aFeedClientReadsEveryCutAsNumericDatesWithTheCursorAsETag() {
        EndpointResponse r = endpoint.read(get(EndpointFixture.basic("rs", "rs-secret"), null, null));
        assertEquals(200, r.status(), r.body());
        Map<String, Object> body = EndpointFixture.json(r);
        assertEquals(true, body.get("complete"));
        assertEquals('"' + (String) body.get("cursor") + '"', r.headers().get("ETag"));
        assertEquals("no-store", r.headers().get("Cache-Control"));
        assertEquals(List.of(Map.of("jti", "jti-1", "exp", clock.instant().getEpochSecond() + 300)), body.get("jti"));
        assertEquals(List.of(Map.of("sub", "alice", "nbf", clock.instant().getEpochSecond())), body.get("sub"),
                "whole seconds, truncated: tokens of the cut's own second stay refused, later ones do not");
        assertEquals(List.of(Map.of("kid", "old-key", "until", clock.instant().getEpochSecond() + 3600)), body.get("kid"));
        assertEquals(List.of(), body.get("sid"));
    }

    @Test
    void anIdleFeedAnswersAConditionalRequestWithABodiless304() {
        String cursor = feed.cursor();
        EndpointResponse idle = endpoint.read(get(EndpointFixture.basic("rs", "rs-secret"), cursor, '"' + cursor + '"'));
        assertEquals(304, idle.status());
        assertEquals("", idle.body());
        assertEquals('"' + cursor + '"', idle.headers().get("ETag"));

        registry.revokeFamily("family-2", clock.instant());
        EndpointResponse next = endpoint.read(get(EndpointFixture.basic("rs", "rs-secret"), cursor, '"' + cursor + '"'));
        assertEquals(200, next.status());
        Map<String, Object> body = EndpointFixture.json(next);
        assertEquals(false, body.get("complete"));
        assertEquals(List.of(Map.of("sid", "family-2", "nbf", clock.instant().getEpochSecond())), body.get("sid"));
        assertEquals(List.of(), body.get("jti"), "only what came after the cursor");
    }

    @Test
    void nobodyButAFeedClientGetsACut() {
        EndpointResponse none = endpoint.read(get(null, null, null));
        assertEquals(401, none.status());
        assertTrue(none.headers().get("WWW-Authenticate").startsWith("Basic"));
        EndpointResponse wrong = endpoint.read(get(EndpointFixture.basic("rs", "guess"), null, null));
        assertEquals(401, wrong.status());
        assertEquals("invalid_client", EndpointFixture.json(wrong).get("error"));
        EndpointResponse unknown = endpoint.read(get(EndpointFixture.basic("nobody", "x"), null, null));
        assertEquals(401, unknown.status());
        EndpointResponse notAllowed = endpoint.read(get(EndpointFixture.basic("app", "app-secret"), null, null));
        assertEquals(403, notAllowed.status());
        assertEquals("access_denied", EndpointFixture.json(notAllowed).get("error"));
        EndpointResponse publicClient = endpoint.read(EndpointRequest.builder("GET").param("client_id", "spa").build());
        assertEquals(401, publicClient.status());
        for (EndpointResponse r : List.of(none, wrong, unknown, notAllowed, publicClient)) {
            assertFalse(r.body().contains("jti-1") || r.body().contains("alice") || r.body().contains("old-key"), r.body());
            assertEquals("no-store", r.headers().get("Cache-Control"));
        }
    }

    @Test
    void theFeedIsReadWithGetOnly() {
        EndpointResponse post = endpoint.read(EndpointFixture.post("rs", "rs-secret"));
        assertEquals(405, post.status());
        assertEquals("GET", post.headers().get("Allow"));
    }

    @Test
    void aRevocationFeedClientMustBeConfidential() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ClientRegistration.builder("spa").type(ClientType.PUBLIC).revocationFeed(true).build());
        assertTrue(e.getMessage().contains("revocation-feed"), e.getMessage());
    }
}
