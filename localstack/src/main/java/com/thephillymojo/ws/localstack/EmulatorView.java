package com.thephillymojo.ws.localstack;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Optional;

/**
 * What a client of the emulator's data plane needs besides the AWS API: how a name it serves
 * resolves on this machine (a load balancer's listener, a cache's node), the CA its TLS chains to,
 * and the hints for tools outside the JVM. The emulator in this JVM is one ({@link LocalAws}); an
 * emulator in another process of this machine is another ({@link RunningEmulator}).
 */
public interface EmulatorView {
    URI endpoint();

    /** The local address of {@code host:port} (its name kept, for TLS verification); empty when the emulator serves no such name. */
    Optional<InetSocketAddress> resolve(String host, int port);

    /** A trust store holding the emulator's CA. */
    KeyStore trustStore();

    /** The emulator CA's PEM as a file. */
    Path caFile();

    /** How tools outside the JVM (curl, Chromium, redis-cli) reach each name. */
    List<String> accessHints();
}
