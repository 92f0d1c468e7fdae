package com.thephillymojo.ws.runbook.standin;

import java.net.InetSocketAddress;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.TrustManagerFactory;

/**
 * The one Chromium command line that opens the local environment as a player's browser would:
 * each name mapped to its local listener (nothing else looked up), and the servers' certificates
 * trusted by their public keys (Chromium's SPKI allowlist, in a profile of its own) — not a blanket
 * "ignore certificate errors".
 */
public final class BrowserCommand {
    private BrowserCommand() {
    }

    /** {@code names}: each name:443 and where it is served here; {@code trust}: the emulator's CA, to read each certificate checked. */
    public static String of(Map<String, InetSocketAddress> names, KeyStore trust, String profile, String url) {
        List<String> line = new ArrayList<>(List.of("chromium"));
        for (String argument : arguments(names, trust, profile)) {
            line.add(argument.contains(" ") ? argument.replaceFirst("=", "=\"") + "\"" : argument);
        }
        line.add(url);
        return String.join(" ", line);
    }

    /** The arguments of {@link #of}: the profile, the names' rules (nothing else resolved), the servers' keys trusted. */
    public static List<String> arguments(Map<String, InetSocketAddress> names, KeyStore trust, String profile) {
        List<String> rules = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (Map.Entry<String, InetSocketAddress> n : new TreeMap<>(names).entrySet()) {
            rules.add("MAP " + n.getKey() + ":443 " + n.getValue().getAddress().getHostAddress() + ":" + n.getValue().getPort());
            keys.add(spki(n.getKey(), n.getValue(), trust));
        }
        rules.add("MAP * ~NOTFOUND");
        return List.of("--user-data-dir=" + profile, "--host-resolver-rules=" + String.join(", ", rules),
                "--ignore-certificate-errors-spki-list=" + String.join(",", keys));
    }

    /** Base64 of the SHA-256 of the public key the server at {@code address} presents for {@code name} (checked against the CA). */
    static String spki(String name, InetSocketAddress address, KeyStore trust) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, tmf.getTrustManagers(), null);
            try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(address.getAddress(), address.getPort())) {
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setServerNames(List.of(new SNIHostName(name)));
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                socket.setSSLParameters(parameters);
                socket.startHandshake();
                Certificate leaf = socket.getSession().getPeerCertificates()[0];
                return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(leaf.getPublicKey().getEncoded()));
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the certificate " + name + " presents at " + address + ": " + e.getMessage(), e);
        }
    }
}
