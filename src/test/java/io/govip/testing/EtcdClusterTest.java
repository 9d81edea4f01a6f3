package io.govip.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.PutOption;

@ExtendWith(EtcdLogsOnFailure.class)
class EtcdClusterTest {

    private static final ByteSequence KEY = ByteSequence.from("/govip/warm-up", UTF_8);
    private static final ByteSequence VALUE = ByteSequence.from("x", UTF_8);

    @Test
    void keepsAnsweringThroughAClientOfAllMembersWhileOneRestarts() throws Exception {
        long started = System.nanoTime();
        try (EtcdCluster cluster = EtcdCluster.start(); Client client = cluster.newClient()) {
            System.out.printf("3-member cluster healthy %d ms after start%n", millisSince(started));
            assertThat(cluster.endpoints())
                    .isEqualTo("http://198.51.100.11:2379,http://198.51.100.12:2379,http://198.51.100.13:2379");
            // A follower: losing the leader is the next test's subject.
            EtcdMember leader = cluster.waitForLeader();
            EtcdMember restarted = cluster.members().stream().filter(member -> member != leader).findFirst()
                    .orElseThrow();
            // The first request pays for connecting and class loading; it must not fall into the outage.
            client.getKVClient().put(KEY, VALUE).get(10, TimeUnit.SECONDS);
            AtomicBoolean done = new AtomicBoolean();
            CompletableFuture<Traffic> traffic = new CompletableFuture<>();
            Thread.ofPlatform().daemon().start(() -> traffic.complete(putAndGet(client, done)));

            Thread.sleep(300);
            restarted.stop();
            long downSince = System.nanoTime();
            Thread.sleep(1500);
            long downUntil = System.nanoTime();
            restarted.start();
            Thread.sleep(300);
            done.set(true);

            Traffic seen = traffic.get(60, TimeUnit.SECONDS);
            System.out.println("errors absorbed by a retry while a member restarted: " + seen.retried());
            assertThat(seen.failures()).isEmpty();
            assertThat(seen.retried()).as("only requests in flight when the member stopped or came back")
                    .hasSizeLessThanOrEqualTo(2);
            assertThat(seen.succeededAt()).filteredOn(at -> at > downSince && at < downUntil).isNotEmpty();
            assertThat(restarted.isRunning()).isTrue();
        }
    }

    @Test
    void electsANewLeaderWhenTheLeaderIsKilledAndTheOldLeaderRejoins() throws Exception {
        try (EtcdCluster cluster = EtcdCluster.start()) {
            EtcdMember oldLeader = cluster.waitForLeader();

            long killed = System.nanoTime();
            oldLeader.kill();
            EtcdMember newLeader = cluster.waitForLeader(Duration.ofSeconds(10));
            System.out.printf("new leader %s %d ms after killing %s%n", newLeader, millisSince(killed), oldLeader);
            newLeader.server().etcdctl().runOrThrow("put", "/govip/while-away", "written");
            oldLeader.start();

            assertThat(newLeader).isNotSameAs(oldLeader);
            assertThat(oldLeader.isRunning()).isTrue();
            assertThat(cluster.waitForLeader()).isNotNull();
            assertThat(oldLeader.server().etcdctl().runOrThrow("get", "/govip/while-away", "--print-value-only",
                    "--consistency=s").stdout().strip()).isEqualTo("written");
        }
    }

    @Test
    void aCutMemberGoesSilentItsPeersElectWithoutItAndItRejoinsWhenHealed() throws Exception {
        try (EtcdCluster cluster = EtcdCluster.start()) {
            EtcdMember cut = cluster.waitForLeader();
            NodeResponder.startOn(cut.host(), 8080);

            long cutAt = System.nanoTime();
            cut.cut();
            EtcdMember newLeader = waitForLeaderOtherThan(cluster, cut);
            System.out.printf("new leader %s %d ms after cutting %s%n", newLeader, millisSince(cutAt), cut);

            assertThatThrownBy(() -> connect(cut.host().ipv4(), EtcdCluster.CLIENT_PORT))
                    .isInstanceOf(SocketTimeoutException.class);
            assertThat(connect(cut.host().ipv4(), 8080)).isTrue();
            assertThat(Shell.run("ping", "-c", "1", "-W", "2", cut.host().ipv4()).exitCode()).isZero();
            assertThat(cut.isRunning()).isTrue();
            assertThat(cut.isCut()).isTrue();

            newLeader.server().etcdctl().runOrThrow("put", "/govip/during-cut", "written");
            cut.heal();

            assertThat(cluster.waitForLeader()).isNotNull();
            assertThat(readFromOnly(cut, "/govip/during-cut", Duration.ofSeconds(10))).isEqualTo("written");
        }
    }

    /**
     * When each put-and-get round trip completed (System.nanoTime); the errors that a retry absorbed; the round
     * trips that failed even when retried.
     */
    private record Traffic(List<Long> succeededAt, List<String> retried, List<String> failures) {
    }

    /**
     * Round trips one after the other until told to stop (bounded in count and time), each retried once the way
     * any etcd client must: a request in flight on the connection to a member that stops fails ("channel closed").
     */
    private static Traffic putAndGet(Client client, AtomicBoolean done) {
        List<Long> succeededAt = new ArrayList<>();
        List<String> retried = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        for (int i = 0; i < 5000 && !done.get() && System.nanoTime() < deadline; i++) {
            Optional<String> error = roundTrip(client, i);
            if (error.isPresent()) {
                retried.add(error.get());
                error = roundTrip(client, i);
            }
            if (error.isPresent()) {
                failures.add(error.get());
            } else {
                succeededAt.add(System.nanoTime());
            }
        }
        return new Traffic(succeededAt, retried, failures);
    }

    private static Optional<String> roundTrip(Client client, int i) {
        ByteSequence key = ByteSequence.from("/govip/restart/" + i, UTF_8);
        ByteSequence value = ByteSequence.from(Integer.toString(i), UTF_8);
        try {
            client.getKVClient().put(key, value, PutOption.builder().withAutoRetry().build())
                    .get(5, TimeUnit.SECONDS);
            long found = client.getKVClient().get(key).get(5, TimeUnit.SECONDS).getCount();
            return found == 1 ? Optional.empty() : Optional.of(i + ": not found after put");
        } catch (Exception e) {
            return Optional.of(i + ": " + e);
        }
    }

    private static EtcdMember waitForLeaderOtherThan(EtcdCluster cluster, EtcdMember old) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            EtcdMember leader = cluster.waitForLeader();
            if (leader != old) {
                return leader;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no leader other than " + old + " within 15 s");
    }

    /** A serializable read that only the member itself answers: proves it caught up. */
    private static String readFromOnly(EtcdMember member, String key, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String value = "";
        while (System.nanoTime() < deadline && !value.equals("written")) {
            value = member.server().etcdctl().run("get", key, "--print-value-only", "--consistency=s").stdout()
                    .strip();
            Thread.sleep(100);
        }
        return value;
    }

    private static boolean connect(String host, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1000);
            return true;
        }
    }

    private static long millisSince(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos).toMillis();
    }
}
