package io.govip.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for haproxy's monitor URI on a lab node: an HTTP server on the node's loopback address that answers
 * every GET with 200. Runs as its own JVM in the node's namespace, so a test kills "the service behind the VIP" by
 * killing this process.
 */
public final class HealthEndpoint {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);
    private static final Path LOGS = Path.of("target", "lab-logs").toAbsolutePath();

    private HealthEndpoint() {
    }

    /** Argument: the port. */
    public static void main(String[] args) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                Integer.parseInt(args[0])), 16);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        System.out.println("healthy on port " + args[0]);
    }

    /** Starts one in {@code host}'s namespace and waits until it accepts connections. */
    public static Process startOn(LabHost host, int port) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Xmx32m", "-cp", classes(), HealthEndpoint.class.getName(), Integer.toString(port));
        Process process = host.namespace().start(command, log(host, port));
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        boolean listening = host.namespace().call(() -> {
            while (process.isAlive() && Instant.now().isBefore(deadline)) {
                try (Socket probe = new Socket()) {
                    probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                    return true;
                } catch (IOException notYet) {
                    Thread.sleep(50);
                }
            }
            return false;
        });
        if (!listening) {
            process.destroyForcibly();
            throw new IllegalStateException("health endpoint on " + host + ":" + port + " did not start");
        }
        return process;
    }

    private static String classes() {
        try {
            return Path.of(HealthEndpoint.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path log(LabHost host, int port) {
        try {
            Files.createDirectories(LOGS);
            return LOGS.resolve(host.namespace().name() + "-health-" + port + ".log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
