package com.thephillymojo.ws.runbook.standin;

import com.thephillymojo.ws.auth.SessionCheck;
import com.thephillymojo.ws.auth.SessionCookies;
import com.thephillymojo.ws.auth.SessionMinter;
import com.thephillymojo.ws.localstack.acm.CertificateAuthority;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A stand-in for the Next.js app at {@code https://thephillymojo.com}, for the local environment
 * only (never deployed): it signs a user in as NextAuth does — a name typed on a page, then the
 * session cookie {@code __Secure-next-auth.session-token}, a JWE encrypted with the environment's
 * secret, {@code Domain=.thephillymojo.com; Path=/; Secure; HttpOnly; SameSite=Lax} — and out
 * again. The cookie rides to {@code wss://ws.thephillymojo.com} only because of its domain, as in
 * production. TLS with a certificate of the emulator's CA for the app's name.
 */
public final class AppStandIn implements AutoCloseable {
    /** NextAuth's default session lifetime. */
    static final Duration SESSION = Duration.ofDays(30);
    private static final String NAME = "[\\p{L}\\p{N} ._-]{1,32}";
    /** Where sign-in may send a player on: the game, with a link's invite code or game to watch. */
    private static final String GAME_LINK = "/play(\\?(join|watch)=[A-Za-z0-9_-]{1,64})?";

    private final URI app;
    private final Optional<String> cookieDomain;
    private final SessionMinter minter;
    private final SessionCookies sessions;
    private final Server server;
    private final ServerConnector connector;

    /**
     * Serves {@code app} (https://NAME) on 127.0.0.1:{@code port} (0: a free one). {@code cookieDomain}
     * is what the Next.js app sets ({@code .thephillymojo.com}); empty makes the cookie host-only.
     */
    public AppStandIn(URI app, Optional<String> cookieDomain, String secret, CertificateAuthority authority, int port) throws Exception {
        this.app = app;
        this.cookieDomain = cookieDomain;
        this.minter = new SessionMinter(secret);
        this.sessions = new SessionCookies(true, List.of(secret), List.of(), Clock.systemUTC());
        CertificateAuthority.Issued issued = authority.issue(List.of(app.getHost(), "www." + app.getHost()), Duration.ofDays(90));
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        char[] password = "stand-in".toCharArray();
        keys.setKeyEntry("app", issued.key(), password, new Certificate[] {issued.certificate(), authority.root()});
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(keys);
        tls.setKeyStorePassword("stand-in");

        QueuedThreadPool threads = new QueuedThreadPool(32, 2);
        threads.setName("app-stand-in");
        server = new Server(threads);
        HttpConfiguration https = new HttpConfiguration();
        https.setSendServerVersion(false);
        https.addCustomizer(new SecureRequestCustomizer());
        connector = new ServerConnector(server, new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory(https));
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(new Pages());
        server.start();
    }

    /** Where this machine reaches it: what {@code app}'s name maps to. */
    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", connector.getLocalPort());
    }

    public URI app() {
        return app;
    }

    private final class Pages extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String path = Request.getPathInContext(request);
            String method = request.getMethod();
            response.getHeaders().put("X-Content-Type-Options", "nosniff");
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            Optional<String> user = signedIn(request);
            if (path.equals("/") && method.equals("GET")) {
                page(response, callback, 200, "home.html", Map.of("{{who}}", user.map(AppStandIn::escape).orElse(""),
                        "{{signedIn}}", user.isPresent() ? "" : "hidden", "{{signedOut}}", user.isPresent() ? "hidden" : ""));
            } else if (path.equals("/signin") && method.equals("GET")) {
                page(response, callback, 200, "signin.html", Map.of("{{error}}", "", "{{then}}", then(Request.extractQueryParameters(request).getValue("then"))));
            } else if (path.equals("/signin") && method.equals("POST")) {
                if (!sameOrigin(request)) {
                    page(response, callback, 403, "signin.html", Map.of("{{error}}", "This form is accepted from " + app + " only.", "{{then}}", "/play"));
                    return true;
                }
                Fields form = Request.getParameters(request);
                String name = Optional.ofNullable(form.getValue("name")).map(String::trim).orElse("");
                if (!name.matches(NAME)) {
                    page(response, callback, 400, "signin.html", Map.of("{{error}}",
                            "A name is 1 to 32 letters, digits, spaces, '.', '_' or '-'.", "{{then}}", then(form.getValue("then"))));
                    return true;
                }
                String token = minter.mint(userId(name), name, SESSION);
                response.getHeaders().add(HttpHeader.SET_COOKIE, cookie(token, SESSION));
                redirect(response, callback, then(form.getValue("then")));
            } else if (path.equals("/signout") && method.equals("POST")) {
                if (!sameOrigin(request)) {
                    page(response, callback, 403, "signin.html", Map.of("{{error}}", "Sign-out is accepted from " + app + " only.", "{{then}}", "/play"));
                    return true;
                }
                response.getHeaders().add(HttpHeader.SET_COOKIE, cookie("", Duration.ZERO));
                redirect(response, callback, "/");
            } else if (path.equals("/check") && method.equals("GET")) {
                page(response, callback, 200, "check.html", Map.of());
            } else if (path.equals("/check.js") && method.equals("GET")) {
                send(response, callback, 200, "text/javascript; charset=utf-8", resource("check.js"));
            } else if (path.equals("/play") && method.equals("GET")) {
                if (user.isEmpty()) {
                    // a link to a game (an invite code, a game to watch) leads there after signing in
                    String target = request.getHttpURI().getPathQuery();
                    redirect(response, callback, "/signin" + (target.matches(GAME_LINK) && !target.equals("/play")
                            ? "?then=" + java.net.URLEncoder.encode(target, StandardCharsets.UTF_8) : ""));
                } else {
                    page(response, callback, 200, "play.html", Map.of());
                }
            } else if (path.equals("/play.js") && method.equals("GET")) {
                send(response, callback, 200, "text/javascript; charset=utf-8", resource("play.js"));
            } else if (path.equals("/play.css") && method.equals("GET")) {
                send(response, callback, 200, "text/css; charset=utf-8", resource("play.css"));
            } else if ((path.equals("/favicon.svg") || path.equals("/favicon.ico")) && method.equals("GET")) {
                send(response, callback, 200, "image/svg+xml", resource("favicon.svg"));
            } else {
                send(response, callback, 404, "text/plain; charset=utf-8", "not found\n");
            }
            return true;
        }
    }

    /** The Set-Cookie NextAuth sends: the secure name, the app's attributes, {@code lifetime} (zero: deleted). */
    String cookie(String token, Duration lifetime) {
        return SessionMinter.SECURE_COOKIE + "=" + token + (cookieDomain.map(d -> "; Domain=" + d).orElse("")) + "; Path=/; Max-Age="
                + lifetime.toSeconds() + "; Secure; HttpOnly; SameSite=Lax";
    }

    /** Where to go after signing in: a game link as it came, else the game. */
    static String then(String asked) {
        return asked != null && asked.matches(GAME_LINK) ? asked : "/play";
    }

    /** A stable user id for a typed name (NextAuth's {@code sub}): the same name is the same player. */
    static String userId(String name) {
        return "local-" + name.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", "-");
    }

    private Optional<String> signedIn(Request request) {
        Map<String, String> cookies = new HashMap<>();
        for (HttpCookie c : Request.getCookies(request)) {
            cookies.put(c.getName(), c.getValue());
        }
        return sessions.check(cookies) instanceof SessionCheck.SignedIn s ? Optional.of(s.identity().name()) : Optional.empty();
    }

    /** A form posted from this site (browsers name the page's origin on a POST). */
    private boolean sameOrigin(Request request) {
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        return origin != null && origin.equals(app.getScheme() + "://" + app.getHost());
    }

    private void page(Response response, Callback callback, int status, String name, Map<String, String> values) {
        String html = resource(name);
        for (Map.Entry<String, String> v : values.entrySet()) {
            html = html.replace(v.getKey(), v.getValue());
        }
        response.getHeaders().put("Content-Security-Policy", "default-src 'self'; connect-src 'self' wss://ws." + app.getHost()
                + "; frame-ancestors 'none'");
        send(response, callback, status, "text/html; charset=utf-8", html);
    }

    private static void redirect(Response response, Callback callback, String to) {
        response.setStatus(303);
        response.getHeaders().put(HttpHeader.LOCATION, to);
        callback.succeeded();
    }

    private static void send(Response response, Callback callback, int status, String type, String text) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.write(true, BufferUtil.toBuffer(text, StandardCharsets.UTF_8), callback);
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String resource(String name) {
        try (InputStream in = AppStandIn.class.getClassLoader().getResourceAsStream("standin/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the runbook's jar lacks standin/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read standin/" + name, e);
        }
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
