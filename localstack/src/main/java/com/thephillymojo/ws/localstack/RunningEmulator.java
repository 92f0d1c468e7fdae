package com.thephillymojo.ws.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * An emulator another process of this machine runs (the local environment `runbook --env local
 * apply` keeps up), reached through its edge: {@code /_localaws/health}, {@code /_localaws/resolve},
 * {@code /_localaws/ca.pem} and {@code /_localaws/hints}.
 */
public final class RunningEmulator implements EmulatorView {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private final URI endpoint;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private Path caFile;

    private RunningEmulator(URI endpoint) {
        this.endpoint = endpoint;
    }

    /** The emulator answering on 127.0.0.1:{@code port}, if one does. */
    public static Optional<RunningEmulator> find(int port) {
        RunningEmulator emulator = new RunningEmulator(URI.create("http://127.0.0.1:" + port));
        try {
            HttpResponse<String> health = emulator.get("/_localaws/health");
            return health.statusCode() == 200 && health.body().contains("\"running\"") ? Optional.of(emulator) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private HttpResponse<String> get(String pathAndQuery) throws IOException {
        try {
            return http.send(HttpRequest.newBuilder(endpoint.resolve(pathAndQuery)).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private String body(String pathAndQuery) {
        try {
            HttpResponse<String> response = get(pathAndQuery);
            if (response.statusCode() != 200) {
                throw new IllegalStateException("the emulator at " + endpoint + " answered " + pathAndQuery + " with " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException("the emulator at " + endpoint + " does not answer: " + e.getMessage(), e);
        }
    }

    @Override
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public Optional<InetSocketAddress> resolve(String host, int port) {
        try {
            HttpResponse<String> response = get("/_localaws/resolve?host=" + URLEncoder.encode(host, StandardCharsets.UTF_8) + "&port=" + port);
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            String[] address = response.body().trim().split(":");
            byte[] ip = InetAddress.getByName(address[0]).getAddress();
            return Optional.of(new InetSocketAddress(InetAddress.getByAddress(host, ip), Integer.parseInt(address[1])));
        } catch (IOException e) {
            throw new UncheckedIOException("the emulator at " + endpoint + " does not answer: " + e.getMessage(), e);
        }
    }

    @Override
    public KeyStore trustStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("localaws-ca", CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(body("/_localaws/ca.pem").getBytes(StandardCharsets.US_ASCII))));
            return store;
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("the emulator's CA cannot be read: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized Path caFile() {
        if (caFile == null) {
            try {
                caFile = Files.createTempFile("localaws-ca-", ".pem");
                caFile.toFile().deleteOnExit();
                Files.writeString(caFile, body("/_localaws/ca.pem"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return caFile;
    }

    @Override
    public List<String> accessHints() {
        return Arrays.stream(body("/_localaws/hints").split("\n")).filter(l -> !l.isBlank()).toList();
    }
}
