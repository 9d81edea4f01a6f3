package io.govip.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class InboundFilterTest {

    private static final HeartbeatKey KEY = HeartbeatKey.of(new byte[32]);

    private final HeartbeatCodec sender = new HeartbeatCodec(KEY);
    private final InboundFilter filter = new InboundFilter(KEY, "self");

    @Test
    void increasingSequencesAreDeliveredOnce() {
        assertThat(outcome("h", 1, 1)).isNull();
        assertThat(outcome("h", 1, 2)).isNull();
        assertThat(outcome("h", 1, 2)).isEqualTo(DropReason.REPLAYED);
        assertThat(outcome("h", 1, 7)).isNull();
    }

    @Test
    void aDatagramOvertakenByANewerOneIsDropped() {
        ByteBuffer older = wire("h", 1, 1);
        ByteBuffer newer = wire("h", 1, 2);

        assertThat(filter.admit(newer)).isInstanceOf(Decoding.Accepted.class);
        assertThat(filter.admit(older)).isEqualTo(new Decoding.Dropped(DropReason.REPLAYED));
    }

    @Test
    void aRestartedProcessIsHeardAndItsPredecessorIsNotHeardAgain() {
        ByteBuffer fromPredecessor = wire("h", 100, 50);
        filter.admit(fromPredecessor.duplicate());

        assertThat(outcome("h", 200, 1)).isNull();
        assertThat(filter.admit(fromPredecessor)).isEqualTo(new Decoding.Dropped(DropReason.STALE_INCARNATION));
        assertThat(outcome("h", 100, 51)).isEqualTo(DropReason.STALE_INCARNATION);
        assertThat(outcome("h", 200, 2)).isNull();
    }

    @Test
    void membersAreCheckedEachOnTheirOwn() {
        assertThat(outcome("a", 1, 10)).isNull();
        assertThat(outcome("b", 1, 1)).isNull();
        assertThat(outcome("a", 1, 5)).isEqualTo(DropReason.REPLAYED);
    }

    @Test
    void aHeartbeatCarryingOurOwnNameIsDropped() {
        assertThat(outcome("self", 1, 1)).isEqualTo(DropReason.OWN_MEMBER);
    }

    @Test
    void aForgeryDoesNotAdvanceTheSequence() {
        ByteBuffer forged = new HeartbeatCodec(HeartbeatKey.of(new byte[] {
            1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}))
                .encode(datagram("h", 1, 1_000));

        assertThat(filter.admit(forged)).isEqualTo(new Decoding.Dropped(DropReason.BAD_MAC));
        assertThat(outcome("h", 1, 2)).isNull();
    }

    @Test
    void underRandomReorderingAndDuplicationWhatIsDeliveredOnlyMovesForward() {
        Random random = new Random(21);
        for (int round = 0; round < 200; round++) {
            InboundFilter fresh = new InboundFilter(KEY, "self");
            List<ByteBuffer> arrivals = new ArrayList<>();
            for (long sequence = 1; sequence <= 30; sequence++) {
                arrivals.add(wire("h", 9, sequence));
                if (random.nextInt(4) == 0) {
                    arrivals.add(wire("h", 9, sequence));
                }
            }
            Collections.shuffle(arrivals, random);

            long last = Long.MIN_VALUE;
            int delivered = 0;
            for (ByteBuffer arrival : arrivals) {
                if (fresh.admit(arrival) instanceof Decoding.Accepted(Datagram datagram)) {
                    assertThat(datagram.sequence()).isGreaterThan(last);
                    last = datagram.sequence();
                    delivered++;
                }
            }
            assertThat(delivered).isBetween(1, 30);
        }
    }

    private DropReason outcome(String member, long incarnation, long sequence) {
        return filter.admit(wire(member, incarnation, sequence)) instanceof Decoding.Dropped(DropReason reason)
                ? reason : null;
    }

    private ByteBuffer wire(String member, long incarnation, long sequence) {
        return sender.encode(datagram(member, incarnation, sequence));
    }

    private static Datagram datagram(String member, long incarnation, long sequence) {
        return new Datagram(incarnation, sequence, new Heartbeat(member, 5, true, sequence * 100, List.of()));
    }
}
