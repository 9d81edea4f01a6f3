package io.govip.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks TCP ports that are free in a namespace. They come from below the kernel's ephemeral range (32768-60999), so
 * an outgoing connection cannot take one between the pick and the moment the server binds it.
 */
final class FreePorts {

    private static final int LOWEST = 20000;
    private static final int HIGHEST = 32000;
    private static final int ATTEMPTS = 200;

    private FreePorts() {
    }

    static List<Integer> pick(NetworkNamespace namespace, String host, int count) {
        return namespace.call(() -> pickHere(InetAddress.ofLiteral(host), count));
    }

    private static List<Integer> pickHere(InetAddress host, int count) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int attempt = 0; attempt < ATTEMPTS && held.size() < count; attempt++) {
                int candidate = ThreadLocalRandom.current().nextInt(LOWEST, HIGHEST);
                ServerSocket socket = new ServerSocket();
                try {
                    socket.bind(new InetSocketAddress(host, candidate));
                    held.add(socket);
                } catch (IOException taken) {
                    socket.close();
                }
            }
            if (held.size() < count) {
                throw new IllegalStateException("found only " + held.size() + " of " + count + " free ports on "
                        + host.getHostAddress());
            }
            return held.stream().map(ServerSocket::getLocalPort).toList();
        } finally {
            for (ServerSocket socket : held) {
                socket.close();
            }
        }
    }
}
