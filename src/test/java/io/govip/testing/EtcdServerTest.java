package io.govip.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;

@ExtendWith(EtcdLogsOnFailure.class)
class EtcdServerTest {

    private static final ByteSequence KEY = ByteSequence.from("/govip/test/key", UTF_8);
    private static final ByteSequence VALUE = ByteSequence.from("value", UTF_8);

    @Test
    void answersAGetWithWhatWasPut() throws Exception {
        long started = System.nanoTime();
        try (EtcdServer etcd = EtcdServer.builder().start(); Client client = etcd.newClient()) {
            System.out.printf("etcd healthy %d ms after start%n", Duration.ofNanos(System.nanoTime() - started)
                    .toMillis());

            client.getKVClient().put(KEY, VALUE).get(5, TimeUnit.SECONDS);

            assertThat(etcd.endpoints()).matches("http://127\\.0\\.0\\.1:\\d+");
            assertThat(client.getKVClient().get(KEY).get(5, TimeUnit.SECONDS).getKvs())
                    .singleElement().satisfies(kv -> assertThat(kv.getValue()).isEqualTo(VALUE));
        }
    }

    @Test
    void keepsItsKeysAcrossAStopAndAStartOnTheSameDataDirectory() throws Exception {
        try (EtcdServer etcd = EtcdServer.builder().start()) {
            etcd.etcdctl().runOrThrow("put", "/govip/kept", "yes");
            long firstPid = etcd.pid();

            etcd.stop();
            assertThat(etcd.isRunning()).isFalse();
            etcd.start();

            assertThat(etcd.pid()).isNotEqualTo(firstPid);
            assertThat(etcd.etcdctl().runOrThrow("get", "/govip/kept", "--print-value-only").stdout().strip())
                    .isEqualTo("yes");
        }
    }

    @Test
    void killIsImmediateAndTheServerStartsAgainAfterIt() {
        try (EtcdServer etcd = EtcdServer.builder().start()) {
            long pid = etcd.pid();

            etcd.kill();

            assertThat(ProcessHandle.of(pid)).isEmpty();
            etcd.start();
            assertThat(etcd.etcdctl().run("endpoint", "health").exitCode()).isZero();
        }
    }

    @Test
    void runsInsideAGivenNamespaceOnAGivenAddress() {
        try (NetworkNamespace namespace = NetworkNamespace.create("etcd-host");
                NetworkNamespace peer = NetworkNamespace.create("etcd-peer")) {
            Veth.connect(namespace, "eth0", peer, "eth0");
            namespace.execOrThrow("ip", "addr", "add", "198.51.100.50/24", "dev", "eth0");
            try (EtcdServer etcd = EtcdServer.builder().in(namespace, "198.51.100.50").start()) {
                etcd.etcdctl().runOrThrow("put", "/govip/where", "there");

                assertThat(etcd.endpoints()).startsWith("http://198.51.100.50:");
                assertThat(Shell.runOrThrow("ip", "netns", "identify", Long.toString(etcd.pid())).stdout().strip())
                        .isEqualTo(namespace.name());
            }
        }
    }
}
