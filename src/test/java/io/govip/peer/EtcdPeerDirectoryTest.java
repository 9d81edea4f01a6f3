package io.govip.peer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import io.govip.etcd.EtcdFailure;
import io.govip.testing.EtcdExtension;

class EtcdPeerDirectoryTest {

    @RegisterExtension
    static final EtcdExtension etcd = EtcdExtension.plain().wipingBeforeEachTest();

    private static final PeerKeys KEYS = new PeerKeys("vip-a");
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final List<EtcdPeerDirectory> directories = new ArrayList<>();

    @AfterEach
    void closeDirectories() {
        directories.forEach(EtcdPeerDirectory::close);
    }

    @Test
    void theFirstMemberCreatesTheKeyAndEveryOtherReadsTheSame() throws Exception {
        List<CompletableFuture<HeartbeatKey>> racing = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            racing.add(HeartbeatKeyStore.loadOrCreate(etcd.client().getKVClient(), KEYS, new SecureRandom(), TIMEOUT));
        }
        List<HeartbeatKey> keys = new ArrayList<>();
        for (CompletableFuture<HeartbeatKey> key : racing) {
            keys.add(key.get(5, TimeUnit.SECONDS));
        }
        KeyValue stored = get(KEYS.heartbeatKey()).getFirst();

        assertThat(keys).allSatisfy(key -> assertThat(key).isEqualTo(keys.getFirst()));
        assertThat(HeartbeatKey.fromBase64(stored.getValue().toString(UTF_8))).isEqualTo(keys.getFirst());
        assertThat(stored.getLease()).isZero();
        assertThat(stored.getVersion()).isEqualTo(1);
    }

    @Test
    void aStoredValueThatIsNoKeyFailsWithoutShowingIt() throws Exception {
        String stored = Base64.getEncoder().encodeToString("too short".getBytes(UTF_8));
        put(KEYS.heartbeatKey(), stored);

        assertThatThrownBy(() -> HeartbeatKeyStore.loadOrCreate(etcd.client().getKVClient(), KEYS,
                new SecureRandom(), TIMEOUT).get(5, TimeUnit.SECONDS))
                .hasRootCauseMessage("etcd key vip-a.peer-key holds no heartbeat key (a heartbeat key has 32 bytes, "
                        + "not 9); delete it so that the next member to start makes one")
                .rootCause().message().doesNotContain(stored);
    }

    @Test
    void membersFindEachOtherAndNotThemselves() throws Exception {
        EtcdPeerDirectory a = directory("a", "198.51.100.1");
        EtcdPeerDirectory b = directory("b", "2001:db8::2");
        a.publish(grant()).get(5, TimeUnit.SECONDS);
        b.publish(grant()).get(5, TimeUnit.SECONDS);
        a.start();
        b.start();

        Eventually.within(PATIENCE, () -> {
            assertThat(a.peers()).isEqualTo(Map.of("b", endpoint("2001:db8::2")));
            assertThat(b.peers()).isEqualTo(Map.of("a", endpoint("198.51.100.1")));
        });
    }

    @Test
    void anEndpointGoesWithItsLeaseAndComesBackWithTheNext() throws Exception {
        EtcdPeerDirectory watching = directory("a", "198.51.100.1");
        watching.start();
        EtcdPeerDirectory b = directory("b", "198.51.100.2");
        long firstLease = grant();
        b.publish(firstLease).get(5, TimeUnit.SECONDS);
        Eventually.within(PATIENCE, () -> assertThat(watching.peers().containsKey("b")).isTrue());

        etcd.client().getLeaseClient().revoke(firstLease).get(5, TimeUnit.SECONDS);
        Eventually.within(PATIENCE, () -> assertThat(watching.peers().isEmpty()).isTrue());
        long secondLease = grant();
        b.publish(secondLease).get(5, TimeUnit.SECONDS);

        Eventually.within(PATIENCE, () -> assertThat(watching.peers().containsKey("b")).isTrue());
        assertThat(get(KEYS.endpointKey("b")).getFirst().getLease()).isEqualTo(secondLease);
    }

    @Test
    void theDirectoryCatchesUpAfterEtcdWasDown() throws Exception {
        EtcdPeerDirectory watching = directory("a", "198.51.100.1");
        watching.start();
        EtcdPeerDirectory b = directory("b", "198.51.100.2");
        b.publish(grant()).get(5, TimeUnit.SECONDS);
        Eventually.within(PATIENCE, () -> assertThat(watching.peers()).containsOnlyKeys("b"));

        etcd.server().stop();
        etcd.server().start();
        directory("c", "198.51.100.3").publish(grant()).get(5, TimeUnit.SECONDS);

        Eventually.within(PATIENCE, () -> assertThat(watching.peers()).containsOnlyKeys("b", "c"));
    }

    @Test
    void publishingUnderAnEndedLeaseFailsAsLeaseNotFound() throws Exception {
        long lease = grant();
        etcd.client().getLeaseClient().revoke(lease).get(5, TimeUnit.SECONDS);

        CompletableFuture<Void> stored = directory("a", "198.51.100.1").publish(lease);

        assertThatThrownBy(() -> stored.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .satisfies(e -> assertThat(EtcdFailure.of(e).kind()).isEqualTo(EtcdFailure.Kind.LEASE_NOT_FOUND));
    }

    @Test
    void anUnreadableEndpointIsLeftOut() throws Exception {
        put(KEYS.endpointKey("b"), "peer.example:2382");
        put(KEYS.endpointKey("c"), "198.51.100.3:2382");
        EtcdPeerDirectory a = directory("a", "198.51.100.1");
        a.start();

        Eventually.within(PATIENCE, () ->
                assertThat(a.peers()).isEqualTo(Map.of("c", endpoint("198.51.100.3"))));
    }

    @Test
    void nothingIsWrittenUnderTheCandidatePrefix() throws Exception {
        HeartbeatKeyStore.loadOrCreate(etcd.client().getKVClient(), KEYS, new SecureRandom(), TIMEOUT)
                .get(5, TimeUnit.SECONDS);
        directory("a", "198.51.100.1").publish(grant()).get(5, TimeUnit.SECONDS);

        assertThat(get("vip-a/")).isEmpty();
        assertThat(get("vip-a")).extracting(kv -> kv.getKey().toString(UTF_8))
                .containsExactlyInAnyOrder("vip-a.peer-key", "vip-a.peers/a");
    }

    private EtcdPeerDirectory directory(String member, String address) throws Exception {
        EtcdPeerDirectory directory = new EtcdPeerDirectory(etcd.client(), KEYS, member, endpoint(address), TIMEOUT);
        directories.add(directory);
        return directory;
    }

    private static InetSocketAddress endpoint(String address) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(address), 2382);
    }

    private static long grant() throws Exception {
        return etcd.client().getLeaseClient().grant(30).get(5, TimeUnit.SECONDS).getID();
    }

    private static void put(String key, String value) throws Exception {
        etcd.client().getKVClient().put(ByteSequence.from(key, UTF_8), ByteSequence.from(value, UTF_8))
                .get(5, TimeUnit.SECONDS);
    }

    private static List<KeyValue> get(String prefix) throws Exception {
        return etcd.client().getKVClient().get(ByteSequence.from(prefix, UTF_8),
                GetOption.builder().isPrefix(true).build()).get(5, TimeUnit.SECONDS).getKvs();
    }
}
