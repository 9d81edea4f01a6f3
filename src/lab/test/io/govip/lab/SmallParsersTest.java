package io.govip.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The one-line readers: govip handover's report, /proc status, etcdctl fields, and the live line's text. */
class SmallParsersTest {

    @Test
    void readsGovipsHandoverLine() {
        HandoverReport report = HandoverReport.parse("handover: node1 -> node2 in 45 ms; VIP absent for 3.2 ms "
                + "(from node1's release to node2's takeover, as seen through etcd)\n").orElseThrow();

        assertThat(report.from()).isEqualTo("node1");
        assertThat(report.to()).isEqualTo("node2");
        assertThat(report.totalMillis()).isEqualTo(45);
        assertThat(report.vipAbsentMillis()).isEqualTo(3.2);
        assertThat(report.line()).startsWith("handover: node1").endsWith("through etcd)");
        assertThat(HandoverReport.parse("node1 already leads")).isEmpty();
    }

    @Test
    void findsWhenGovipLastBecameLeaderInItsLog() {
        String log = "2026-11-30 22:31:06,322 INFO  [io.govip] (govip-leadership) CANDIDATE -> LEADER: won the "
                + "election\n2026-11-30 22:31:16,323 INFO  [io.govip] (govip-leadership) LEADER -> CANDIDATE: check "
                + "fails\n2026-11-30 22:31:36,313 INFO  [io.govip] (govip-leadership) CANDIDATE -> LEADER: etcd lists "
                + "key first\n2026-11-30 22:31:40,797 WARN  [io.govip] (govip-leadership) service checks: keeping\n";

        assertThat(ProcFiles.lastBecameLeader(log)).contains(java.time.LocalDateTime.of(2026, 11, 30, 22, 31, 36,
                313_000_000));
        assertThat(ProcFiles.lastBecameLeader("2026-11-30 22:31:06,322 INFO  STARTING -> CANDIDATE: lease\n"))
                .isEmpty();
    }

    @Test
    void readsAMetricFromPrometheusText() {
        String metrics = "# HELP govip_vip_held_while_failing 1 while ...\n# TYPE govip_vip_held_while_failing gauge\n"
                + "govip_vip_held_while_failing 1.0\ngovip_check_up{check=\"http://127.0.0.1:8404/healthz\"} 0.0\n";

        assertThat(ProcFiles.metricValue(metrics, "govip_vip_held_while_failing")).hasValue(1.0);
        assertThat(ProcFiles.metricValue(metrics, "govip_check_up")).hasValue(0.0);
        assertThat(ProcFiles.metricValue(metrics, "govip_vip")).isEmpty();
    }

    @Test
    void readsVmRssFromProcStatus() {
        assertThat(ProcFiles.vmRssKiB("Name:\tjava\nVmPeak:\t  999 kB\nVmRSS:\t  123456 kB\nRssAnon:\t 1 kB\n"))
                .hasValue(123456);
        assertThat(ProcFiles.vmRssKiB("Name:\tzombie\n")).isEmpty();
    }

    @Test
    void readsThreadCountAndThreadFamiliesFromProc() {
        assertThat(ProcFiles.threads("Name:\tjava\nThreads:\t23\nSigQ:\t0/1\n")).hasValue(23);
        assertThat(ProcFiles.threads("Name:\tzombie\n")).isEmpty();
        assertThat(ProcFiles.statusKiB("VmRSS:\t  9 kB\nRssAnon:\t  5120 kB\nRssFile:\t  3 kB\n", "RssAnon"))
                .hasValue(5120);
        assertThat(ProcFiles.threadFamily("vert.x-eventloop-thread-12\n")).isEqualTo("vert.x-eventloop-thread-");
        assertThat(ProcFiles.threadFamily("Reference Handl\n")).isEqualTo("Reference Handl");
    }

    @Test
    void readsCommittedMemoryByCategoryFromANativeMemorySummary() {
        String jcmd = """
                123:

                Native Memory Tracking:

                Total: reserved=1453862KB, committed=60130KB
                       malloc: 15234KB #46643, peak=18327KB #44463

                -                 Java Heap (reserved=65536KB, committed=16384KB)
                                            (mmap: reserved=65536KB, committed=16384KB, at peak)

                -                     Class (reserved=1048773KB, committed=9413KB)
                                            (classes #2815)
                -                    Thread (reserved=19518KB, committed=970KB)
                                            (threads #19)
                -        Shared class space (reserved=65536KB, committed=49392KB, readonly=0KB)
                                            (mmap: reserved=65536KB, committed=49392KB, peak=50116KB)
                """;

        NativeMemorySummary summary = NativeMemorySummary.parse(jcmd);

        assertThat(summary.totalCommittedKiB()).isEqualTo(60130);
        assertThat(summary.committedKiBByCategory()).containsEntry("Java Heap", 16384L).containsEntry("Class", 9413L)
                .containsEntry("Thread", 970L).containsEntry("Shared class space", 49392L).hasSize(4);
        assertThat(summary.largestFirst().keySet()).containsExactly("Shared class space", "Java Heap", "Class",
                "Thread");
        assertThatThrownBy(() -> NativeMemorySummary.parse("Native memory tracking is not enabled"))
                .hasMessageContaining("-XX:NativeMemoryTracking=summary");
    }

    @Test
    void readsTotalAndLargestClassesFromAHeapHistogram() {
        String jcmd = """
                123:
                 num     #instances         #bytes  class name (module)
                -------------------------------------------------------
                   1:         15378         757296  [B (java.base@25.0.3)
                   2:          3302         425688  java.lang.Class (java.base@25.0.3)
                   3:         15218         365232  java.lang.String (java.base@25.0.3)
                Total         66852        2982704
                """;

        HeapHistogram histogram = HeapHistogram.parse(jcmd, 2);

        assertThat(histogram.totalInstances()).isEqualTo(66852);
        assertThat(histogram.totalBytes()).isEqualTo(2982704);
        assertThat(histogram.largest()).containsExactly(new HeapHistogram.Entry(15378, 757296, "[B"),
                new HeapHistogram.Entry(3302, 425688, "java.lang.Class"));
        assertThatThrownBy(() -> HeapHistogram.parse("123:\nno such process", 2))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void turnsEtcdctlsDecimalMemberIdIntoMoveLeadersHex() {
        String fields = "\"ClusterID\" : 1\n\"MemberID\" : 17237436991929493444\n\"Leader\" : 5\n";

        assertThat(ProcFiles.memberIdHex(fields)).isEqualTo("ef37ad9dc622a7c4");
        assertThatThrownBy(() -> ProcFiles.memberIdHex("nothing")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theLiveLineSaysWhoAnswersAndWhoHoldsTheVip() {
        assertThat(Terminal.liveLine(Duration.ofMillis(12_345), Optional.of("node2"), Optional.of(Set.of("node2"))))
                .isEqualTo("    12.3 s | client answered by node2  | VIP on node2");
        assertThat(Terminal.liveLine(Duration.ZERO, Optional.of("none"), Optional.of(Set.of())))
                .contains("client: no answer").endsWith("VIP on no node");
        assertThat(Terminal.liveLine(Duration.ZERO, Optional.empty(), Optional.of(Set.of("node3", "node1"))))
                .contains("probing").endsWith("VIP on node1 AND node3 (!)");
        assertThat(Terminal.liveKey(Optional.of("node1"), Optional.of(Set.of("node1")))).isEqualTo("node1|node1");
    }

    @Test
    void offATerminalTheLiveLineIsPrintedOnlyWhenItChanges() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        Terminal terminal = new Terminal(new java.io.PrintStream(bytes, true), false);

        terminal.live("a", "first");
        terminal.live("a", "first, later");
        terminal.live("b", "second");
        terminal.say("narration");

        assertThat(bytes.toString()).isEqualTo("first\nsecond\nnarration\n");
    }

    @Test
    void onATerminalTheLiveLineIsRedrawnInPlace() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        Terminal terminal = new Terminal(new java.io.PrintStream(bytes, true), true);

        terminal.live("a", "one");
        terminal.live("a", "two");
        terminal.say("narration");

        assertThat(bytes.toString()).isEqualTo("\rone\033[K\rtwo\033[K\r\033[Knarration\n");
    }
}
