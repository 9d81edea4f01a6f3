package io.govip.net;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.govip.net.ffm.ErrnoException;
import io.govip.net.ffm.Libc;

/**
 * Asks "who has the VIP?" on one interface, the way a client on the link does before it sends, and collects who
 * answers: the evidence of which nodes would take the VIP's traffic at that moment, which the address dump cannot
 * give once an address can be on an interface but fenced. Queries go out through govip's own {@link PacketSocket};
 * answers come in on a second AF_PACKET socket that receives only the query's EtherType. Opened in the namespace
 * of the thread that calls {@link #open}, used from one thread at a time.
 */
public final class VipNeighborProbe implements AutoCloseable {

    /** recv(2) flag: return EAGAIN at once when nothing is queued (bits/socket_type.h). */
    private static final int MSG_DONTWAIT = 0x40;
    private static final int BUFFER_BYTES = 2048;
    /** Far more than three nodes answer; bounds the drain should the link be flooded. */
    private static final int MAX_FRAMES_PER_QUESTION = 256;

    private final PacketSocket sender;
    private final int receiver;
    private final byte[] query;
    private final InetAddress asker;
    private final InetAddress target;

    private VipNeighborProbe(PacketSocket sender, int receiver, byte[] query, InetAddress asker,
            InetAddress target) {
        this.sender = sender;
        this.receiver = receiver;
        this.query = query;
        this.asker = asker;
        this.target = target;
    }

    /**
     * Opens the probe on interface {@code interfaceIndex} (whose hardware address is {@code mac}) of the calling
     * thread's namespace; {@code asker} is that interface's own address, of {@code target}'s family.
     */
    public static VipNeighborProbe open(int interfaceIndex, byte[] mac, InetAddress asker, InetAddress target)
            throws ErrnoException {
        if ((asker instanceof Inet4Address) != (target instanceof Inet4Address)) {
            throw new IllegalArgumentException("asker " + asker + " and target " + target + " differ in family");
        }
        byte[] query = NeighborQueryFrames.query(mac, asker, target);
        int etherType = target instanceof Inet4Address ? ArpFrames.ETH_P_ARP : NeighborAdvertisementFrames.ETH_P_IPV6;
        int receiver = receiver(interfaceIndex, etherType);
        try {
            return new VipNeighborProbe(PacketSocket.open(interfaceIndex), receiver, query, asker, target);
        } catch (ErrnoException | RuntimeException e) {
            Libc.close(receiver);
            throw e;
        }
    }

    private static int receiver(int interfaceIndex, int etherType) throws ErrnoException {
        int networkOrder = Short.toUnsignedInt(Short.reverseBytes((short) etherType));
        int fd = Libc.socket(Libc.AF_PACKET, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, networkOrder);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = arena.allocate(20, 8); // struct sockaddr_ll, see PacketSocket
            address.set(JAVA_SHORT, 0, (short) Libc.AF_PACKET);
            address.set(JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN), 2, (short) etherType);
            address.set(JAVA_INT, 4, interfaceIndex);
            Libc.bind(fd, address);
            return fd;
        } catch (ErrnoException | RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
    }

    /**
     * Sends one query, waits {@code window} and returns the hardware addresses whose answers arrived meanwhile. The
     * answers queue in the socket while the thread sleeps (a blocking receive with a timeout would overrun the
     * window by up to a scheduler tick); one that arrives later is counted by the next call.
     */
    public Set<String> ask(Duration window) throws ErrnoException, InterruptedException {
        sender.send(query);
        Thread.sleep(window);
        List<byte[]> frames = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(BUFFER_BYTES);
            while (frames.size() < MAX_FRAMES_PER_QUESTION) {
                long length;
                try {
                    length = Libc.recv(receiver, buffer, MSG_DONTWAIT);
                } catch (ErrnoException e) {
                    if (e.errno() == Errno.EINTR) {
                        continue;
                    }
                    if (e.errno() == Errno.EAGAIN) {
                        break;
                    }
                    throw e;
                }
                frames.add(buffer.asSlice(0, Math.min(length, BUFFER_BYTES)).toArray(JAVA_BYTE));
            }
        }
        return NeighborAnswers.answerers(frames, asker, target);
    }

    @Override
    public void close() {
        sender.close();
        Libc.close(receiver);
    }
}
