package io.govip.net;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.Arrays;

import io.govip.net.ffm.ErrnoException;
import io.govip.net.ffm.Libc;

/**
 * An AF_PACKET socket that sends whole Ethernet frames out of one interface. It is opened with protocol 0, so the
 * kernel never queues received frames on it. The caller serialises {@link #send} with {@link #close}.
 */
final class PacketSocket implements AutoCloseable {

    /**
     * struct sockaddr_ll: u16 sll_family, u16 sll_protocol (network order), s32 sll_ifindex, u16 sll_hatype,
     * u8 sll_pkttype, u8 sll_halen, u8 sll_addr[8].
     */
    private static final int SOCKADDR_LL_LEN = 20;

    private final int fd;
    private final int interfaceIndex;

    private PacketSocket(int fd, int interfaceIndex) {
        this.fd = fd;
        this.interfaceIndex = interfaceIndex;
    }

    /** Fails with EPERM without CAP_NET_RAW, ENODEV when the interface is gone. */
    static PacketSocket open(int interfaceIndex) throws ErrnoException {
        int fd = Libc.socket(Libc.AF_PACKET, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, 0);
        try (Arena arena = Arena.ofConfined()) {
            Libc.bind(fd, address(arena, interfaceIndex, 0, new byte[0]));
            return new PacketSocket(fd, interfaceIndex);
        } catch (ErrnoException | RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
    }

    /**
     * Sends a complete Ethernet frame. The destination address and EtherType given to the kernel are those of the
     * frame's own header, so the kernel classifies the frame as it will look on the wire.
     */
    void send(byte[] frame) throws ErrnoException {
        byte[] destination = Arrays.copyOfRange(frame, 0, 6);
        int etherType = (Byte.toUnsignedInt(frame[12]) << 8) | Byte.toUnsignedInt(frame[13]);
        try (Arena arena = Arena.ofConfined()) {
            Libc.sendto(fd, arena.allocateFrom(JAVA_BYTE, frame),
                    address(arena, interfaceIndex, etherType, destination));
        }
    }

    private static MemorySegment address(Arena arena, int interfaceIndex, int etherType, byte[] hardwareAddress) {
        MemorySegment address = arena.allocate(SOCKADDR_LL_LEN, 8);
        address.set(JAVA_SHORT, 0, (short) Libc.AF_PACKET);
        address.set(JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN), 2, (short) etherType);
        address.set(JAVA_INT, 4, interfaceIndex);
        address.set(JAVA_BYTE, 11, (byte) hardwareAddress.length);
        MemorySegment.copy(hardwareAddress, 0, address, JAVA_BYTE, 12, hardwareAddress.length);
        return address;
    }

    @Override
    public void close() {
        Libc.close(fd);
    }
}
