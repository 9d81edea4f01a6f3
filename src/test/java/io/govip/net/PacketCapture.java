package io.govip.net;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import io.govip.net.ffm.ErrnoException;
import io.govip.net.ffm.Libc;
import io.govip.testing.NetworkNamespace;

/** Every frame that crosses one interface of a test namespace, read from an AF_PACKET socket opened there. */
final class PacketCapture implements AutoCloseable {

    private static final int ETH_P_ALL = 0x0003;

    private final int fd;

    private PacketCapture(int fd) {
        this.fd = fd;
    }

    static PacketCapture open(NetworkNamespace namespace, String interfaceName) throws Exception {
        int index = Integer.parseInt(namespace.execOrThrow("cat", "/sys/class/net/" + interfaceName + "/ifindex")
                .stdout().strip());
        return namespace.call(() -> {
            int fd = Libc.socket(Libc.AF_PACKET, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC,
                    Short.toUnsignedInt(Short.reverseBytes((short) ETH_P_ALL)));
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment address = arena.allocate(20, 8); // struct sockaddr_ll
                address.set(JAVA_SHORT, 0, (short) Libc.AF_PACKET);
                address.set(JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN), 2, (short) ETH_P_ALL);
                address.set(JAVA_INT, 4, index);
                Libc.bind(fd, address);
                Libc.setReceiveTimeout(fd, 100);
                return new PacketCapture(fd);
            } catch (ErrnoException | RuntimeException e) {
                Libc.close(fd);
                throw e;
            }
        });
    }

    /** The frames that match, in arrival order, once {@code count} have arrived or {@code timeout} has passed. */
    List<byte[]> frames(Predicate<byte[]> wanted, int count, Duration timeout) throws ErrnoException {
        List<byte[]> frames = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(2048);
            while (frames.size() < count && System.nanoTime() < deadline) {
                long length;
                try {
                    length = Libc.recv(fd, buffer, 0);
                } catch (ErrnoException e) {
                    if (e.errno() == Errno.EAGAIN || e.errno() == Errno.EINTR) {
                        continue;
                    }
                    throw e;
                }
                byte[] frame = buffer.asSlice(0, length).toArray(JAVA_BYTE);
                if (wanted.test(frame)) {
                    frames.add(frame);
                }
            }
        }
        return frames;
    }

    static int etherType(byte[] frame) {
        return (Byte.toUnsignedInt(frame[12]) << 8) | Byte.toUnsignedInt(frame[13]);
    }

    @Override
    public void close() {
        Libc.close(fd);
    }
}
