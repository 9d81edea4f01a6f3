package io.govip.track;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.govip.config.CheckDefinition;

/**
 * HTTP and TCP checks against servers on the loopback address of the test JVM's own network namespace: every
 * kind of answer and non-answer is bounded by the timeout and classified.
 */
class NetworkChecksTest {

    /** Generous, for answers on a loaded machine; the hanging server is asked with {@link #SHORT_TIMEOUT}. */
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration SHORT_TIMEOUT = Duration.ofMillis(500);

    private HttpServer server;
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/ok", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.createContext("/down", exchange -> {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        server.createContext("/moved", exchange -> {
            exchange.getResponseHeaders().add("Location", "/ok");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.createContext("/hang", exchange -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    @Test
    void a2xxAnswerPassesAndAnythingElseFailsWithItsStatus() {
        assertThat(http("/ok").run(TIMEOUT)).isEqualTo(CheckResult.up("HTTP 200"));
        assertThat(http("/down").run(TIMEOUT)).isEqualTo(CheckResult.down("HTTP 503"));
        assertThat(http("/moved").run(TIMEOUT)).isEqualTo(CheckResult.down("HTTP 302"));
    }

    @Test
    void aServerThatHangsFailsAtTheTimeout() {
        long started = System.nanoTime();

        CheckResult result = http("/hang").run(SHORT_TIMEOUT);

        assertThat(result).isEqualTo(CheckResult.down("no answer within 500ms"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aRefusedConnectionFailsAsRefused() throws IOException {
        int closedPort = closedPort();

        CheckResult http = check(URI.create("http://127.0.0.1:" + closedPort + "/ok")).run(TIMEOUT);
        CheckResult tcp = new TcpCheck(new CheckDefinition.Tcp("127.0.0.1", closedPort)).run(TIMEOUT);

        assertThat(http).isEqualTo(CheckResult.down("connection refused"));
        assertThat(tcp).isEqualTo(CheckResult.down("connection refused"));
    }

    @Test
    void httpsSpokenToAPlainServerFailsAsTls() {
        CheckResult result = check(URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/ok"))
                .run(SHORT_TIMEOUT);

        assertThat(result.up()).isFalse();
        assertThat(result.detail()).containsAnyOf("TLS failed", "no connection within", "no answer within");
    }

    @Test
    void anAcceptedTcpConnectionPasses() {
        CheckResult result = new TcpCheck(new CheckDefinition.Tcp("127.0.0.1", server.getAddress().getPort()))
                .run(TIMEOUT);

        assertThat(result).isEqualTo(CheckResult.up("connection accepted"));
    }

    private HttpCheck http(String path) {
        return check(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path));
    }

    private static HttpCheck check(URI url) {
        return new HttpCheck(new CheckDefinition.Http(url, Optional.empty()), TIMEOUT);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
