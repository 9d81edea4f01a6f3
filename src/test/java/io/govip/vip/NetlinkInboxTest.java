package io.govip.vip;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.govip.address.CidrAddress;
import io.govip.net.NetlinkEvent;

class NetlinkInboxTest {

    private final NetlinkInbox inbox = new NetlinkInbox();

    @Test
    void aBurstOfEventsAsksForOneStepAndIsTakenWholeInOrder() {
        int queued = 0;
        for (int i = 0; i < 100; i++) {
            queued += inbox.offer(added(i)) ? 1 : 0;
        }

        assertThat(queued).isEqualTo(1);
        assertThat(inbox.take()).hasSize(100).startsWith(added(0)).endsWith(added(99));
    }

    @Test
    void anEventAfterATakeAsksForAnotherStep() {
        inbox.offer(added(1));
        inbox.take();

        assertThat(inbox.offer(added(2))).isTrue();
        assertThat(inbox.take()).containsExactly(added(2));
    }

    @Test
    void anOverflowBecomesOneEventsLostAndTheBufferStaysBounded() {
        for (int i = 0; i < NetlinkInbox.CAPACITY * 10; i++) {
            inbox.offer(added(i % 250));
        }

        assertThat(inbox.take()).containsExactly(new NetlinkEvent.EventsLost());
        assertThat(inbox.take()).isEmpty();
    }

    @Test
    void aFullBufferIsNotYetAnOverflow() {
        for (int i = 0; i < NetlinkInbox.CAPACITY; i++) {
            inbox.offer(added(i % 250));
        }

        assertThat(inbox.take()).hasSize(NetlinkInbox.CAPACITY);
    }

    private static NetlinkEvent added(int host) {
        return new NetlinkEvent.AddressAdded(2, CidrAddress.parse("203.0.113." + host + "/32"));
    }
}
