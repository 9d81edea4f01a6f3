package io.govip.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.options.GetOption;

class EtcdExtensionTest {

    @RegisterExtension
    static final EtcdExtension etcd = EtcdExtension.plain().wipingBeforeEachTest();

    private static final ByteSequence ALL = ByteSequence.from(new byte[] {0});

    /** Each repetition leaves a key and a lease behind; the wipe before the next one removes both. */
    @RepeatedTest(2)
    void everyTestStartsWithNoKeysAndNoLeases() throws Exception {
        var kv = etcd.client().getKVClient();
        var lease = etcd.client().getLeaseClient();

        long keysAtStart = kv.get(ALL, GetOption.builder().withRange(ALL).withCountOnly(true).build())
                .get(5, TimeUnit.SECONDS).getCount();
        String leasesAtStart = etcd.server().etcdctl().runOrThrow("lease", "list").stdout();
        long leaseId = lease.grant(60).get(5, TimeUnit.SECONDS).getID();
        kv.put(ByteSequence.from("/govip/left-behind", UTF_8), ByteSequence.from("x", UTF_8)).get(5,
                TimeUnit.SECONDS);

        assertThat(keysAtStart).isZero();
        assertThat(leasesAtStart).startsWith("found 0 leases");
        assertThat(leaseId).isPositive();
    }
}
