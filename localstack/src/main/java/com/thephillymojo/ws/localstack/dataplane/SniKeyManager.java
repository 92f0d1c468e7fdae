package com.thephillymojo.ws.localstack.dataplane;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;

/** A listener's certificates, one chosen per TLS handshake by the name the client asked for (SNI). */
final class SniKeyManager extends X509ExtendedKeyManager {
    /** A certificate chain and its key, by alias (the certificate ARN). */
    record Entry(X509Certificate[] chain, PrivateKey key) {
    }

    private final Map<String, Entry> entries;
    private final String defaultAlias;

    SniKeyManager(Map<String, Entry> entries, String defaultAlias) {
        this.entries = entries;
        this.defaultAlias = defaultAlias;
    }

    private String choose(List<SNIServerName> names) {
        for (SNIServerName name : names) {
            if (name instanceof SNIHostName host) {
                String wanted = host.getAsciiName().toLowerCase(Locale.ROOT);
                for (Map.Entry<String, Entry> e : entries.entrySet()) {
                    if (covers(e.getValue().chain()[0], wanted)) {
                        return e.getKey();
                    }
                }
            }
        }
        return defaultAlias;
    }

    private static boolean covers(X509Certificate certificate, String host) {
        try {
            Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
            if (sans == null) {
                return false;
            }
            for (List<?> san : sans) {
                String name = String.valueOf(san.get(1)).toLowerCase(Locale.ROOT);
                if (name.equals(host) || (name.startsWith("*.") && host.endsWith(name.substring(1)) && host.indexOf('.') == host.length() - name.length() + 1)) {
                    return true;
                }
            }
        } catch (CertificateParsingException e) {
            return false;
        }
        return false;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        if (socket instanceof SSLSocket ssl && ssl.getHandshakeSession() instanceof ExtendedSSLSession session) {
            return choose(session.getRequestedServerNames());
        }
        return defaultAlias;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        if (engine.getHandshakeSession() instanceof ExtendedSSLSession session) {
            return choose(session.getRequestedServerNames());
        }
        return defaultAlias;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Entry e = entries.get(alias);
        return e == null ? null : e.chain();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Entry e = entries.get(alias);
        return e == null ? null : e.key();
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return entries.keySet().toArray(new String[0]);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return new String[0];
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
