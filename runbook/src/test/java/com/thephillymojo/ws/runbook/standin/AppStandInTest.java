package com.thephillymojo.ws.runbook.standin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.thephillymojo.ws.auth.SessionCheck;
import com.thephillymojo.ws.auth.SessionCookies;
import com.thephillymojo.ws.localstack.acm.CertificateAuthority;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.KeyStore;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.FormRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The app stand-in over real TLS with a plain HTTP client: the cookie NextAuth sets, and what it refuses. */
class AppStandInTest {
    private static final String SECRET = "a-test-secret-of-the-local-environment";
    static CertificateAuthority authority = new CertificateAuthority();
    static AppStandIn app;
    static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        app = new AppStandIn(URI.create("https://thephillymojo.com"), Optional.of(".thephillymojo.com"), SECRET, authority, 0);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", authority.root());
        SslContextFactory.Client tls = new SslContextFactory.Client();
        tls.setTrustStore(trust);
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(tls);
        http = new HttpClient(new HttpClientTransportOverHTTP(connector));
        http.setFollowRedirects(false);
        http.setSocketAddressResolver(new SocketAddressResolver() {
            @Override
            public void resolve(String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
                try {
                    // the name with the stand-in's address, as the emulator's names resolve
                    promise.succeeded(List.of(new InetSocketAddress(java.net.InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1}),
                            app.address().getPort())));
                } catch (java.net.UnknownHostException e) {
                    promise.failed(e);
                }
            }
        });
        http.start();
    }

    @AfterAll
    static void stop() throws Exception {
        http.stop();
        app.close();
    }

    private static ContentResponse signIn(String name, String origin) throws Exception {
        return signIn(name, origin, null);
    }

    private static ContentResponse signIn(String name, String origin, String then) throws Exception {
        Fields form = new Fields();
        form.put("name", name);
        if (then != null) {
            form.put("then", then);
        }
        var request = http.newRequest("https://thephillymojo.com/signin").method(HttpMethod.POST).body(new FormRequestContent(form));
        if (origin != null) {
            request.headers(h -> h.put(HttpHeader.ORIGIN, origin));
        }
        return request.send();
    }

    @Test
    void signingInSetsNextAuthsCookieForTheWholeDomain() throws Exception {
        ContentResponse signedIn = signIn("Ann Lee", "https://thephillymojo.com");
        assertEquals(303, signedIn.getStatus());
        assertEquals("/play", signedIn.getHeaders().get(HttpHeader.LOCATION), "signed in, the player goes to the game");
        String setCookie = signedIn.getHeaders().get(HttpHeader.SET_COOKIE);
        assertTrue(setCookie.startsWith("__Secure-next-auth.session-token=ey"), setCookie);
        assertTrue(setCookie.endsWith("; Domain=.thephillymojo.com; Path=/; Max-Age=2592000; Secure; HttpOnly; SameSite=Lax"), setCookie);
        String pair = setCookie.substring(0, setCookie.indexOf(';'));
        String name = pair.substring(0, pair.indexOf('='));
        String token = pair.substring(pair.indexOf('=') + 1);
        // the game server's own check of the cookie, with the environment's secret
        SessionCheck check = new SessionCookies(true, List.of(SECRET), List.of(), Clock.systemUTC()).check(Map.of(name, token));
        assertTrue(check instanceof SessionCheck.SignedIn, check.toString());
        assertEquals("local-ann-lee", ((SessionCheck.SignedIn) check).identity().id());
        assertEquals("Ann Lee", ((SessionCheck.SignedIn) check).identity().name());
        // the home page knows the user; signing out deletes the cookie with the same attributes
        assertTrue(http.newRequest("https://thephillymojo.com/").headers(h -> h.put(HttpHeader.COOKIE, pair))
                .send().getContentAsString().contains("Signed in as <b id=\"who\">Ann Lee</b>"));
        ContentResponse signedOut = http.newRequest("https://thephillymojo.com/signout").method(HttpMethod.POST)
                .headers(h -> h.put(HttpHeader.ORIGIN, "https://thephillymojo.com")).send();
        assertEquals(303, signedOut.getStatus());
        assertEquals("__Secure-next-auth.session-token=; Domain=.thephillymojo.com; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Lax",
                signedOut.getHeaders().get(HttpHeader.SET_COOKIE));
    }

    @Test
    void refusedFormsSetNoCookie() throws Exception {
        for (String[] refused : new String[][] {{"Ann", null, "403"}, {"Ann", "https://evil.example", "403"}, {"", "https://thephillymojo.com", "400"},
                {"<script>", "https://thephillymojo.com", "400"}, {"x".repeat(33), "https://thephillymojo.com", "400"}}) {
            ContentResponse r = signIn(refused[0], refused[1]);
            assertEquals(Integer.parseInt(refused[2]), r.getStatus(), String.join(" ", java.util.Arrays.asList(refused)));
            assertFalse(r.getHeaders().contains(HttpHeader.SET_COOKIE));
        }
        assertEquals(403, http.newRequest("https://thephillymojo.com/signout").method(HttpMethod.POST).send().getStatus());
        assertEquals(404, http.GET("https://thephillymojo.com/nothing").getStatus());
    }

    /** A link to a game (an invite code, a game to watch) opened signed out leads to that game once signed in — and nowhere else. */
    @Test
    void aGameLinkSurvivesSigningIn() throws Exception {
        ContentResponse signedOut = http.GET("https://thephillymojo.com/play?watch=g-3-9kq1");
        assertEquals(303, signedOut.getStatus());
        assertEquals("/signin?then=%2Fplay%3Fwatch%3Dg-3-9kq1", signedOut.getHeaders().get(HttpHeader.LOCATION));
        assertTrue(http.GET("https://thephillymojo.com/signin?then=%2Fplay%3Fwatch%3Dg-3-9kq1").getContentAsString()
                .contains("name=\"then\" value=\"/play?watch=g-3-9kq1\""));
        assertEquals("/play?join=K7QX2M", signIn("Ann", "https://thephillymojo.com", "/play?join=K7QX2M").getHeaders().get(HttpHeader.LOCATION));
        for (String elsewhere : List.of("https://evil.example/", "//evil.example/play", "/play?join=<x>", "/signout")) {
            assertEquals("/play", signIn("Ann", "https://thephillymojo.com", elsewhere).getHeaders().get(HttpHeader.LOCATION), elsewhere);
            assertFalse(http.GET("https://thephillymojo.com/signin?then=" + java.net.URLEncoder.encode(elsewhere, java.nio.charset.StandardCharsets.UTF_8))
                    .getContentAsString().contains(elsewhere), elsewhere);
        }
        assertEquals("/signin", http.GET("https://thephillymojo.com/play?join=a%20b").getHeaders().get(HttpHeader.LOCATION));
        assertEquals("image/svg+xml", http.GET("https://thephillymojo.com/favicon.ico").getHeaders().get(HttpHeader.CONTENT_TYPE),
                "a browser's icon request is no console error");
    }

    @Test
    void hostOnlyWhenNoDomainIsSet() throws Exception {
        try (AppStandIn hostOnly = new AppStandIn(URI.create("https://thephillymojo.com"), Optional.empty(), SECRET, authority, 0)) {
            String setCookie = hostOnly.cookie("t", AppStandIn.SESSION);
            assertEquals("__Secure-next-auth.session-token=t; Path=/; Max-Age=2592000; Secure; HttpOnly; SameSite=Lax", setCookie);
        }
    }
}
