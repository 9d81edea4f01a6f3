package io.govip.testing;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLException;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.govip.config.EtcdSettings.Credentials;

/**
 * One real etcd process: a single-member cluster from {@link #builder()}, or a member of an {@link EtcdCluster}. It
 * can be stopped, killed and started again on the same data directory; closing it stops it by PID and deletes the
 * data directory. Its output goes to a file under target/etcd-logs ({@link #log()}).
 */
public final class EtcdServer implements AutoCloseable {

    public static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration HEALTH_POLL = Duration.ofMillis(100);
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final EtcdConfig config;
    private final NetworkNamespace namespace;
    private final Path log;
    private volatile Process process;
    private volatile Optional<Credentials> adminLogin = Optional.empty();

    EtcdServer(EtcdConfig config, NetworkNamespace namespace) {
        this.config = config;
        this.namespace = namespace;
        this.log = EtcdLogs.create(config.name());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts where the builder says; defaults: the test JVM's namespace, 127.0.0.1, free ports, plain http. */
    public static final class Builder {

        private Optional<NetworkNamespace> namespace = Optional.empty();
        private String host = "127.0.0.1";
        private Optional<TlsMaterial> tls = Optional.empty();
        private Optional<Duration> authTokenTtl = Optional.empty();

        private Builder() {
        }

        /** Runs etcd inside {@code namespace}, listening on {@code host}, an address configured there. */
        public Builder in(NetworkNamespace namespace, String host) {
            this.namespace = Optional.of(namespace);
            this.host = host;
            return this;
        }

        /** https for clients, with client certificates required ({@code --client-cert-auth}). */
        public Builder tls(TlsMaterial material) {
            this.tls = Optional.of(material);
            return this;
        }

        /** Simple auth tokens that etcd forgets after {@code ttl} (whole seconds) without use. */
        public Builder authTokenTtl(Duration ttl) {
            this.authTokenTtl = Optional.of(ttl);
            return this;
        }

        /** Starts etcd and returns once it answers a health check, or fails with its log. */
        public EtcdServer start() {
            NetworkNamespace where = namespace.orElseGet(NetworkNamespace::testJvm);
            List<Integer> ports = FreePorts.pick(where, host, 2);
            String name = "etcd-" + COUNTER.incrementAndGet();
            Path dataDir = TempDirectories.create(name);
            EtcdServer server = new EtcdServer(
                    EtcdConfig.single(name, host, ports.get(0), ports.get(1), dataDir, tls, authTokenTtl),
                    where);
            try {
                server.start();
                return server;
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
        }
    }

    public String name() {
        return config.name();
    }

    /** The client URL, e.g. "http://127.0.0.1:24117", in the form jetcd and etcdctl take endpoints. */
    public String endpoints() {
        return config.clientUrl();
    }

    public URI endpoint() {
        return URI.create(config.clientUrl());
    }

    public Optional<TlsMaterial> tls() {
        return config.tls();
    }

    /**
     * A jetcd builder pointing at this server; with TLS it trusts the test CA and presents the PKCS#8 client
     * certificate (the format Netty reads without help). Tests add credentials or options before building.
     */
    public ClientBuilder clientBuilder() {
        ClientBuilder builder = Client.builder().endpoints(endpoints());
        return config.tls().map(material -> withTls(builder, material)).orElse(builder);
    }

    static ClientBuilder withTls(ClientBuilder builder, TlsMaterial material) {
        try {
            return builder.sslContext(ssl -> ssl.trustManager(material.caCertificate().toFile())
                    .keyManager(material.pkcs8Client().certificate().toFile(),
                            material.pkcs8Client().key().toFile()));
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build a TLS context from " + material.directory(), e);
        }
    }

    /** A new client; the test closes it. */
    public Client newClient() {
        return clientBuilder().build();
    }

    /**
     * etcdctl as an administrator on this server's own host: via loopback when the server listens there, with the
     * PKCS#8 client certificate under TLS, as root once auth is enabled.
     */
    public Etcdctl etcdctl() {
        return new Etcdctl(namespace, config.localClientUrl(), config.tls().map(TlsMaterial::caCertificate),
                config.tls().map(TlsMaterial::pkcs8Client), adminLogin);
    }

    /**
     * Enables etcd authentication with the users and role of {@link EtcdAuth#DEFAULT}. From then on every request
     * needs credentials; this server's own tools use root's.
     */
    public EtcdAuth enableAuth() {
        EtcdAuth auth = EtcdAuth.DEFAULT;
        Etcdctl etcdctl = etcdctl();
        etcdctl.runOrThrow("user", "add", auth.root().user(), "--interactive=false",
                "--new-user-password=" + auth.root().password());
        etcdctl.runOrThrow("role", "add", "root");
        etcdctl.runOrThrow("user", "grant-role", auth.root().user(), "root");
        etcdctl.runOrThrow("role", "add", auth.role());
        etcdctl.runOrThrow("role", "grant-permission", auth.role(), "readwrite", auth.prefix(), "--prefix=true");
        etcdctl.runOrThrow("user", "add", auth.user().user(), "--interactive=false",
                "--new-user-password=" + auth.user().password());
        etcdctl.runOrThrow("user", "grant-role", auth.user().user(), auth.role());
        etcdctl.runOrThrow("auth", "enable");
        adminLogin = Optional.of(auth.root());
        return auth;
    }

    /** Deletes every key and revokes every lease, so that the next test starts from an empty keyspace. */
    public void wipe() {
        Etcdctl etcdctl = etcdctl();
        etcdctl.runOrThrow("del", "", "--prefix");
        String leases = etcdctl.runOrThrow("lease", "list").stdout();
        for (String line : leases.split("\n")) {
            if (line.strip().matches("[0-9a-f]+")) {
                etcdctl.run("lease", "revoke", line.strip());
            }
        }
    }

    public Path log() {
        return log;
    }

    /** The last lines of the log, for failure messages. */
    public String logTail() {
        return EtcdLogs.tail(log);
    }

    public Path dataDir() {
        return config.dataDir();
    }

    public NetworkNamespace namespace() {
        return namespace;
    }

    /** The PID of the running etcd; -1 when it is not running. */
    public long pid() {
        Process current = process;
        return current != null && current.isAlive() ? current.pid() : -1;
    }

    public boolean isRunning() {
        Process current = process;
        return current != null && current.isAlive();
    }

    /** Starts it (again: same name, same data directory) and waits until it answers a health check. */
    public void start() {
        launch();
        awaitHealthy(START_TIMEOUT);
    }

    /** Starts the process without waiting: members of a new cluster can only become healthy together. */
    synchronized void launch() {
        if (isRunning()) {
            throw new IllegalStateException(name() + " is already running (pid " + process.pid() + ")");
        }
        process = namespace.start(config.commandLine(), log);
    }

    /**
     * Waits until etcdctl's health check passes, which needs a raft leader and a committed read. Fails early, with
     * the log, when the process exits.
     */
    public void awaitHealthy(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            Process current = process;
            if (current == null || !current.isAlive()) {
                throw new IllegalStateException(name() + " is not running"
                        + (current == null ? "" : " (exit " + current.exitValue() + ")") + "\n" + logTail());
            }
            CommandResult health = etcdctl().run("endpoint", "health");
            if (health.exitCode() == 0) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(name() + " not healthy within " + timeout + ": "
                        + health.stderr().strip() + "\n" + logTail());
            }
            sleep(HEALTH_POLL);
        }
    }

    /** SIGTERM, then SIGKILL if it has not exited after a grace period. */
    public void stop() {
        Process current = process;
        if (current != null) {
            NetworkNamespace.stop(current);
        }
    }

    /** SIGKILL: no chance to flush or to tell its peers. */
    public void kill() {
        Process current = process;
        if (current == null || !current.isAlive()) {
            return;
        }
        current.destroyForcibly();
        try {
            if (!current.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name() + " (pid " + current.pid() + ") survived SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing " + name(), e);
        }
    }

    /** Stops the process and deletes the data directory. */
    @Override
    public void close() {
        try {
            stop();
        } finally {
            TempDirectories.delete(config.dataDir());
        }
    }

    @Override
    public String toString() {
        return name() + "@" + endpoints();
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
