package io.govip.restart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeaseFileTest {

    private static final String VIPS = "203.0.113.10/32 on eth0";
    private static final long LEASE = 0x694da20e94852e06L;

    @TempDir
    Path stateDir;

    @Test
    void aLeaseKeptAliveIsRecordedWithThisProcessAndItsPlace() throws Exception {
        try (LeaseFile file = open("node1")) {
            file.keepingAlive(LEASE);
        }

        LeaseRecord record = LeaseRecord.decode(Files.readString(stateDir.resolve("node1.lease")));
        assertThat(record).isEqualTo(new LeaseRecord("node1", LEASE, ProcessIdentity.current(),
                VipPlace.current(VIPS)));
        try (var files = Files.list(stateDir)) {
            assertThat(files.map(path -> path.getFileName().toString())).containsExactlyInAnyOrder("node1.lease",
                    "node1.lock");
        }
    }

    @Test
    void aRecordOfAProcessThatExitedIsACrashedPredecessor() throws Exception {
        LeaseRecord dead = recordOf(exitedProcess(), VipPlace.current(VIPS));
        Files.writeString(stateDir.resolve("node1.lease"), dead.encode());

        try (LeaseFile file = open("node1")) {
            assertThat(file.crashedPredecessor()).contains(dead);
        }
    }

    @Test
    void aRecordWhosePidNowBelongsToAnotherProcessIsACrashedPredecessor() throws Exception {
        ProcessIdentity self = ProcessIdentity.current();
        LeaseRecord reused = recordOf(new ProcessIdentity(self.pid(), self.startTicks() - 1),
                VipPlace.current(VIPS));
        Files.writeString(stateDir.resolve("node1.lease"), reused.encode());

        try (LeaseFile file = open("node1")) {
            assertThat(file.crashedPredecessor()).contains(reused);
        }
    }

    @Test
    void aRecordOfAProcessThatStillRunsIsLeftAlone() throws Exception {
        LeaseRecord alive = recordOf(ProcessIdentity.current(), VipPlace.current(VIPS));
        Files.writeString(stateDir.resolve("node1.lease"), alive.encode());

        try (LeaseFile file = open("node1")) {
            assertThat(file.crashedPredecessor()).isEmpty();
        }
        assertThat(stateDir.resolve("node1.lease")).hasContent(alive.encode());
    }

    @Test
    void aPredecessorWhoseVipLivedElsewhereIsLeftToExpire() throws Exception {
        VipPlace here = VipPlace.current(VIPS);
        for (VipPlace elsewhere : new VipPlace[] {
                new VipPlace(here.bootId(), here.networkNamespace(), "203.0.113.10/32 on eth1"),
                new VipPlace(here.bootId(), here.networkNamespace(), "203.0.113.11/32 on eth0"),
                new VipPlace(here.bootId(), here.networkNamespace(), VIPS + ", 2001:db8::10/128 on eth0"),
                new VipPlace(here.bootId(), "net:[1]", VIPS),
                new VipPlace("another-boot", here.networkNamespace(), VIPS)}) {
            Files.writeString(stateDir.resolve("node1.lease"), recordOf(exitedProcess(), elsewhere).encode());

            try (LeaseFile file = open("node1")) {
                assertThat(file.crashedPredecessor()).as(elsewhere.toString()).isEmpty();
            }
        }
    }

    @Test
    void aGarbledFileIsIgnoredAndRemoved() throws Exception {
        Files.writeString(stateDir.resolve("node1.lease"), "lease=not hex\n");

        try (LeaseFile file = open("node1")) {
            assertThat(file.crashedPredecessor()).isEmpty();
        }
        assertThat(stateDir.resolve("node1.lease")).doesNotExist();
    }

    @Test
    void aRecordOfAnotherMemberIsGarbled() throws Exception {
        LeaseRecord other = new LeaseRecord("node2", LEASE, exitedProcess(), VipPlace.current(VIPS));
        Files.writeString(stateDir.resolve("node1.lease"), other.encode());

        try (LeaseFile file = open("node1")) {
            assertThat(file.crashedPredecessor()).isEmpty();
        }
        assertThat(stateDir.resolve("node1.lease")).doesNotExist();
    }

    @Test
    void aRevokedLeaseTakesItsFileAlongButARevokeOfAnotherLeaseDoesNot() {
        try (LeaseFile file = open("node1")) {
            file.keepingAlive(LEASE);
            file.revoked(LEASE + 1);
            assertThat(stateDir.resolve("node1.lease")).exists();

            file.revoked(LEASE);
            assertThat(stateDir.resolve("node1.lease")).doesNotExist();
        }
    }

    @Test
    void aSecondGovipOfTheSameMemberOnThisNodeFindsTheLockTakenAndTouchesNothing() throws Exception {
        LeaseRecord dead = recordOf(exitedProcess(), VipPlace.current(VIPS));
        Files.writeString(stateDir.resolve("node1.lease"), dead.encode());
        try (LeaseFile first = open("node1"); LeaseFile second = open("node1")) {
            assertThat(second.crashedPredecessor()).isEmpty();
            second.keepingAlive(LEASE);
            assertThat(stateDir.resolve("node1.lease")).hasContent(dead.encode());
        }
    }

    @Test
    void anUnusableStateDirectoryTurnsTheFileOffWithoutFailing() throws IOException {
        Path notADirectory = Files.writeString(stateDir.resolve("plain-file"), "x");

        try (LeaseFile file = LeaseFile.open(Optional.of(notADirectory.resolve("govip")), "node1", VIPS)) {
            file.keepingAlive(LEASE);
            assertThat(file.crashedPredecessor()).isEmpty();
        }
        assertThat(notADirectory).hasContent("x");
    }

    @Test
    void aMissingStateDirectoryIsCreated() {
        Path nested = stateDir.resolve("run/govip");
        try (LeaseFile file = LeaseFile.open(Optional.of(nested), "node1", VIPS)) {
            file.keepingAlive(LEASE);
        }

        assertThat(nested.resolve("node1.lease")).exists();
    }

    @Test
    void aMemberNameThatIsNoPlainFileNameIsDigested() {
        assertThat(LeaseFile.fileStem("cp-1.example.org")).isEqualTo("cp-1.example.org");
        assertThat(LeaseFile.fileStem("../etc/passwd")).startsWith("member-").doesNotContain("/", ".");
        assertThat(LeaseFile.fileStem(".hidden")).startsWith("member-");
        assertThat(LeaseFile.fileStem("x".repeat(253))).hasSize("member-".length() + 64);
    }

    private LeaseFile open(String member) {
        return LeaseFile.open(Optional.of(stateDir), member, VIPS);
    }

    private static LeaseRecord recordOf(ProcessIdentity process, VipPlace place) {
        return new LeaseRecord("node1", LEASE, process, place);
    }

    private static ProcessIdentity exitedProcess() throws IOException, InterruptedException {
        Process child = new ProcessBuilder("true").start();
        long pid = child.pid();
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return new ProcessIdentity(pid, 1);
    }
}
