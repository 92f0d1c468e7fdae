package com.thephillymojo.ws.runbook.smoke;

import com.thephillymojo.ws.localstack.EmulatorView;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * An HTTP client that reaches the deployed service by its public name: through the internet's DNS
 * and trust roots in production; on the emulator through its names (Route53 alias → the load
 * balancer's local listener) and its certificate authority.
 */
public final class ServiceClient {
    private ServiceClient() {
    }

    public static HttpClient start(Optional<EmulatorView> emulator) throws Exception {
        SslContextFactory.Client tls = new SslContextFactory.Client();
        ClientConnector connector = new ClientConnector();
        emulator.ifPresent(aws -> tls.setTrustStore(aws.trustStore()));
        connector.setSslContextFactory(tls);
        HttpClient client = new HttpClient(new HttpClientTransportOverHTTP(connector));
        emulator.ifPresent(aws -> client.setSocketAddressResolver(new SocketAddressResolver() {
            @Override
            public void resolve(String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
                Optional<InetSocketAddress> address = aws.resolve(host, port);
                if (address.isPresent()) {
                    promise.succeeded(List.of(address.get()));
                } else {
                    promise.failed(new java.net.UnknownHostException(host + ":" + port + " is not served by the emulator"));
                }
            }
        }));
        client.start();
        return client;
    }
}
