package io.govip.testing;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

import io.etcd.jetcd.Client;

/**
 * One etcd for a whole test class, started in the test JVM's namespace on 127.0.0.1:
 *
 * <pre>
 * &#64;RegisterExtension
 * static final EtcdExtension etcd = EtcdExtension.plain().wipingBeforeEachTest();
 * </pre>
 *
 * The field must be static: the server starts before the first test of the class and stops after the last. When a
 * test fails, the tail of the etcd log is printed.
 */
public final class EtcdExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, TestWatcher {

    private final boolean withTls;
    private final boolean wipeBeforeEach;
    private volatile Class<?> owner;
    private volatile Path tlsDirectory;
    private volatile EtcdServer server;
    private volatile Client client;

    private EtcdExtension(boolean withTls, boolean wipeBeforeEach) {
        this.withTls = withTls;
        this.wipeBeforeEach = wipeBeforeEach;
    }

    /** Plain http, no authentication. */
    public static EtcdExtension plain() {
        return new EtcdExtension(false, false);
    }

    /** https with client certificates required, from {@link TlsMaterial} minted for the class. */
    public static EtcdExtension withTls() {
        return new EtcdExtension(true, false);
    }

    /** Deletes all keys and revokes all leases before each test. */
    public EtcdExtension wipingBeforeEachTest() {
        return new EtcdExtension(withTls, true);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (server != null) {
            return; // a @Nested class shares its enclosing class's server
        }
        owner = context.getRequiredTestClass();
        EtcdServer.Builder builder = EtcdServer.builder();
        if (withTls) {
            TestNetwork.requireTestNamespace();
            tlsDirectory = TempDirectories.create("tls");
            builder.tls(TlsMaterial.generate(tlsDirectory, List.of()));
        }
        server = builder.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (context.getRequiredTestClass() != owner) {
            return;
        }
        try (EtcdServer stopping = server; Client closing = client) {
            server = null;
            client = null;
        } finally {
            if (tlsDirectory != null) {
                TempDirectories.delete(tlsDirectory);
            }
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (wipeBeforeEach) {
            wipe();
        }
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        EtcdServer current = server;
        if (current != null) {
            EtcdLogs.print(current.log());
        }
    }

    public EtcdServer server() {
        EtcdServer current = server;
        if (current == null) {
            throw new IllegalStateException("etcd is not running: register the extension on a static field");
        }
        return current;
    }

    public String endpoints() {
        return server().endpoints();
    }

    /** A client shared by the tests of the class and closed after them; tests must not close it. */
    public synchronized Client client() {
        if (client == null) {
            client = server().newClient();
        }
        return client;
    }

    public Optional<TlsMaterial> tls() {
        return server().tls();
    }

    public void wipe() {
        server().wipe();
    }
}
