package io.govip.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.govip.config.EtcdSettings.Credentials;

class EtcdAuthTest {

    @RegisterExtension
    static final EtcdExtension etcd = EtcdExtension.plain().wipingBeforeEachTest();

    private static EtcdAuth auth;

    @BeforeAll
    static void enableAuth() {
        auth = etcd.server().enableAuth();
    }

    @Test
    void theTestUserReadsAndWritesUnderItsPrefix() throws Exception {
        try (Client client = login(auth.user())) {
            ByteSequence key = bytes(auth.prefix() + "allowed");

            client.getKVClient().put(key, bytes("yes")).get(10, TimeUnit.SECONDS);

            assertThat(client.getKVClient().get(key).get(10, TimeUnit.SECONDS).getCount()).isEqualTo(1);
        }
    }

    @Test
    void theTestUserMayNotWriteOutsideItsPrefix() {
        try (Client client = login(auth.user())) {
            assertThatThrownBy(() -> client.getKVClient().put(bytes("/elsewhere"), bytes("no")).get(10,
                    TimeUnit.SECONDS)).hasMessageContaining("permission denied");
        }
    }

    @Test
    void aWrongPasswordIsRejected() {
        try (Client client = login(new Credentials(auth.user().user(), "wrong-password"))) {
            assertThatThrownBy(() -> client.getKVClient().get(bytes(auth.prefix() + "x")).get(10,
                    TimeUnit.SECONDS)).rootCause().hasMessageContaining("authentication failed");
        }
    }

    @Test
    void requestsWithoutCredentialsAreRejected() {
        CommandResult anonymous = etcd.server().etcdctl().withoutLogin().run("get", auth.prefix() + "x");

        assertThat(anonymous.exitCode()).isNotZero();
        assertThat(anonymous.stderr()).contains("user name is empty");
    }

    private static Client login(Credentials credentials) {
        return etcd.server().clientBuilder().user(bytes(credentials.user())).password(bytes(credentials.password()))
                .build();
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, UTF_8);
    }
}
