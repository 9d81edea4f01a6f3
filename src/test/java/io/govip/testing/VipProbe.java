package io.govip.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Asks, from the lab's client, every {@value #INTERVAL_MILLIS} ms and for a bounded time, which node answers on
 * VIP:port, where each node runs a {@link NodeResponder}: what a user of the VIP experiences during a failover.
 */
public final class VipProbe implements AutoCloseable {

    public static final String NO_ANSWER = "none";
    public static final long INTERVAL_MILLIS = 10;
    private static final int TIMEOUT_MILLIS = 100;
    private final Sampling<String> sampling;

    private VipProbe(Sampling<String> sampling) {
        this.sampling = sampling;
    }

    /** Starts probing from inside {@code client}'s namespace; stops by itself after maxDuration. */
    public static VipProbe start(LabHost client, String vip, int port, Duration maxDuration) {
        InetSocketAddress target = new InetSocketAddress(InetAddress.ofLiteral(vip), port);
        return new VipProbe(Sampling.start("vip-probe-" + vip, client.namespace(), () -> ask(target),
                Duration.ofMillis(INTERVAL_MILLIS), maxDuration));
    }

    /** Stops probing: for each probe, the name of the node that answered, or {@link #NO_ANSWER}. */
    public Timeline<String> stop() {
        return sampling.stop();
    }

    /** While probing goes on: which node answered the latest probe (empty before the first), for a live display. */
    public java.util.Optional<Timeline.Sample<String>> latest() {
        return sampling.latest();
    }

    @Override
    public void close() {
        sampling.cancel();
    }

    private static String ask(InetSocketAddress target) {
        try (Socket socket = new Socket()) {
            socket.connect(target, TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            String line = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            return line == null ? NO_ANSWER : line.strip();
        } catch (IOException noAnswer) {
            return NO_ANSWER;
        }
    }
}
