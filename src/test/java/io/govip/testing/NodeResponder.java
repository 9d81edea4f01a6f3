package io.govip.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.sun.net.httpserver.HttpServer;

/**
 * A tiny TCP server run on a lab node that answers every connection with one line, its node's name, and closes it:
 * a client that connects to a VIP learns which node holds it. Runs as its own JVM in the node's namespace, so that
 * it lives and dies with that node. It can also serve a monitor URI, as haproxy does: an HTTP server on the node's
 * loopback address answering every GET with 200 (503 while a flag file exists, as haproxy's "monitor fail"), in the
 * same process, so that killing the responder kills "the service behind the VIP" for the client and for govip's
 * {@code --track-http} alike.
 */
public final class NodeResponder {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);
    private static final Path LOGS = Path.of("target", "lab-logs").toAbsolutePath();

    private NodeResponder() {
    }

    /**
     * Arguments: the answer, the port, and optionally the monitor URI's port and its flag file. Listens on every
     * address of the namespace, present and future; the monitor on loopback only.
     */
    public static void main(String[] args) throws IOException {
        byte[] answer = (args[0] + "\n").getBytes(StandardCharsets.US_ASCII);
        if (args.length > 3) {
            serveMonitor(Integer.parseInt(args[2]), Path.of(args[3]));
        }
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(Integer.parseInt(args[1])));
            System.out.println("answering " + args[0] + " on port " + args[1]);
            while (true) {
                try (Socket connection = server.accept()) {
                    connection.getOutputStream().write(answer);
                }
            }
        }
    }

    private static void serveMonitor(int port, Path failingFlag) throws IOException {
        HttpServer monitor = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        monitor.createContext("/", exchange -> {
            exchange.sendResponseHeaders(Files.exists(failingFlag) ? 503 : 200, -1);
            exchange.close();
        });
        monitor.start();
        System.out.println("monitor URI answering on 127.0.0.1:" + port);
    }

    /**
     * Starts a responder in {@code host}'s namespace answering its name, and waits until it accepts connections.
     * Closing the host's namespace stops it.
     */
    public static Process startOn(LabHost host, int port) {
        return start(host, port, List.of(host.name(), Integer.toString(port)));
    }

    /**
     * The same, serving a monitor URI on {@code monitorPort} of the node's loopback address too, which fails (503)
     * while {@code failingFlag} exists.
     */
    public static Process startOn(LabHost host, int port, int monitorPort, Path failingFlag) {
        Process process = start(host, port, List.of(host.name(), Integer.toString(port),
                Integer.toString(monitorPort), failingFlag.toString()));
        awaitListening(host, new InetSocketAddress(InetAddress.getLoopbackAddress(), monitorPort), process);
        return process;
    }

    private static Process start(LabHost host, int port, List<String> arguments) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classes = Path.of(codeSource()).toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-Xmx32m", "-cp", classes, NodeResponder.class.getName()));
        command.addAll(arguments);
        Process process = host.namespace().start(command, log(host, port));
        awaitListening(host, new InetSocketAddress("127.0.0.1", port), process);
        return process;
    }

    private static URI codeSource() {
        try {
            return NodeResponder.class.getProtectionDomain().getCodeSource().getLocation().toURI();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path log(LabHost host, int port) {
        try {
            Files.createDirectories(LOGS);
            return LOGS.resolve(host.namespace().name() + "-responder-" + port + ".log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void awaitListening(LabHost host, InetSocketAddress local, Process process) {
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        boolean listening = host.namespace().call(() -> {
            while (process.isAlive() && Instant.now().isBefore(deadline)) {
                try (Socket probe = new Socket()) {
                    probe.connect(local, 200);
                    return true;
                } catch (IOException notYet) {
                    Thread.sleep(50);
                }
            }
            return false;
        });
        if (!listening) {
            boolean alive = process.isAlive();
            process.destroyForcibly();
            throw new IllegalStateException("responder on " + host + " (" + local + ") did not start (alive: "
                    + alive + ")");
        }
    }
}
