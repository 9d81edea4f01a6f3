package io.govip.etcd;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.govip.config.EtcdSettings;

/** Creates jetcd clients tuned for leadership: fail fast, no hidden retries, dead connections noticed. */
public final class EtcdClients {

    /**
     * gRPC keep-alive pings find a connection that went silent (a cut link sends no reset). grpc-java will not
     * ping more often than every 10 s, and etcd refuses pings more often than every 5 s by default; the lease
     * deadline, not this, is what protects the VIP.
     */
    private static final Duration GRPC_KEEPALIVE_TIME = Duration.ofSeconds(10);
    private static final Duration GRPC_KEEPALIVE_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);

    private EtcdClients() {
    }

    public static Client create(EtcdSettings settings) {
        ClientBuilder builder = Client.builder()
                .endpoints(settings.endpoints().toArray(java.net.URI[]::new))
                .keepaliveTime(GRPC_KEEPALIVE_TIME)
                .keepaliveTimeout(GRPC_KEEPALIVE_TIMEOUT)
                .keepaliveWithoutCalls(true)
                .connectTimeout(CONNECT_TIMEOUT)
                // Without this, calls queue silently while every endpoint is down; govip wants the error now so
                // that its own loops (which know the lease deadline) decide what to do.
                .waitForReady(false)
                // govip retries on its own schedule; jetcd's retries would hide time from the fencing deadline.
                .retryMaxAttempts(0)
                // so that a call timed out by govip can be cancelled, not left open (see ContextCarryingExecutor)
                .executorService(new ContextCarryingExecutor());
        settings.tls().ifPresent(tls -> builder.sslContext(TlsContexts.forClient(tls)));
        settings.credentials().ifPresent(credentials -> builder
                .user(ByteSequence.from(credentials.user(), StandardCharsets.UTF_8))
                .password(ByteSequence.from(credentials.password(), StandardCharsets.UTF_8)));
        return builder.build();
    }
}
