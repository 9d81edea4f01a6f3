package io.govip.election;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.PutOption;
import io.govip.config.Timing;
import io.govip.testing.EtcdExtension;

/**
 * The periodic reads of a process's groups against a real etcd: one range request per interval whatever the group
 * count, each group told what a read of its own election would have told it, and watch events still reading the
 * one group at once.
 */
class ElectionPollsTest {

    @RegisterExtension
    static final EtcdExtension etcd = EtcdExtension.plain().wipingBeforeEachTest();

    private static final String NAME = "/polls";
    private static final Duration CHECK_INTERVAL = Duration.ofMillis(200);
    private static final Timing TIMING = new Timing(Duration.ofSeconds(5), Duration.ofMillis(100),
            Duration.ofSeconds(2), Duration.ofMillis(500), CHECK_INTERVAL, Duration.ofSeconds(5),
            Duration.ofSeconds(10));
    private static final Hedging HEDGING = Hedging.across(1, TIMING);
    private static final KeepAliveStats NO_STATS = new KeepAliveStats() {
        @Override
        public void answered(Duration roundTrip) {
        }

        @Override
        public void failed() {
        }
    };
    private static final Pattern RECEIVED = Pattern.compile(
            "(?m)^grpc_server_msg_received_total\\{grpc_method=\"(\\w+)\",[^}]*} ([0-9.e+]+)$");

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<EtcdCandidacy> candidacies = new ArrayList<>();
    private final List<BlockingQueue<List<Object>>> heard = new ArrayList<>();
    private ElectionPolls polls;

    @AfterEach
    void stop() {
        candidacies.forEach(EtcdCandidacy::stopObserving);
        if (polls != null) {
            polls.close();
        }
        scheduler.shutdownNow();
    }

    @Test
    void aCombinedReadTellsEachGroupWhatItsOwnReadWould() throws Exception {
        long own = grant();
        long other = grant();
        ElectionKeys api = ElectionKeys.ofGroup(NAME, "api");
        ElectionKeys ingress = ElectionKeys.ofGroup(NAME, "ingress");
        ElectionKeys dns = ElectionKeys.ofGroup(NAME, "dns");
        ElectionKeys apiTwo = ElectionKeys.ofGroup(NAME, "api2");
        put(api.candidateKey(other), "node2", other);
        put(api.candidateKey(own), "node1", own);
        put(api.holderKey(), "node2", other);
        put(ingress.candidateKey(own), "node1", own);
        put(ingress.holderKey(), new HolderRecord.Released("node2", other).encode(), 0);
        put(ingress.revokersKey(), new RevokersRecord(own, 7, List.of()).encode(), own);
        put(apiTwo.candidateKey(other), "node2", other);
        put(apiTwo.holderKey(), "node2", other);
        put(new ElectionKeys(NAME).candidateKey(other), "plain", other);

        List<ElectionKeys> elections = List.of(api, ingress, dns, apiTwo);
        List<CombinedElectionReader.Wanted> wanted = elections.stream()
                .map(keys -> new CombinedElectionReader.Wanted(keys, own, new CompletableFuture<>())).toList();
        new CombinedElectionReader(client().getKVClient(), client().getLeaseClient(), ElectionKeys.groupsPrefix(NAME),
                HEDGING).read(wanted, System::nanoTime, TIMING.keepAliveTimeout());

        for (int i = 0; i < elections.size(); i++) {
            ElectionRead combined = wanted.get(i).answer().get(10, TimeUnit.SECONDS);
            ElectionRead alone = new CandidateReader(client().getKVClient(), elections.get(i), HEDGING)
                    .readElection(client().getLeaseClient(), own, System::nanoTime, TIMING.keepAliveTimeout())
                    .get(10, TimeUnit.SECONDS);
            String election = elections.get(i).name();
            assertThat(combined.candidates()).as(election).isEqualTo(alone.candidates());
            assertThat(combined.holder()).as(election).isEqualTo(alone.holder());
            assertThat(combined.revokers()).as(election).isEqualTo(alone.revokers());
            assertThat(combined.holderLease().map(ElectionRead.LeaseRemaining::leaseId)).as(election)
                    .isEqualTo(alone.holderLease().map(ElectionRead.LeaseRemaining::leaseId));
        }
        assertThat(wanted.get(0).answer().join().candidates()).extracting(Candidate::member)
                .containsExactly("node2", "node1");
        assertThat(wanted.get(0).answer().join().holderLease()).as("the other member's lease reported").isPresent();
        assertThat(wanted.get(2).answer().join().candidates()).as("an empty election").isEmpty();
    }

    @Test
    void theGroupsOfOneProcessCostOneReadPerIntervalWhateverTheirNumber() throws Exception {
        long own = grant();
        polls = ElectionPolls.ofGroups(client(), NAME, HEDGING, TIMING, System::nanoTime, scheduler);
        int groups = 20;
        IntStream.range(0, groups).forEach(group -> observe("g" + group, own));
        for (int group = 0; group < groups; group++) {
            next(group, "electionObserved");
        }
        Duration window = Duration.ofSeconds(4);

        double[] before = reads();
        long started = System.nanoTime();
        for (BlockingQueue<List<Object>> calls : heard) {
            calls.clear();
        }
        Thread.sleep(window.toMillis());
        double[] after = reads();
        double seconds = (System.nanoTime() - started) / 1e9;

        double intervals = seconds / (CHECK_INTERVAL.toNanos() / 1e9);
        assertThat(after[0] - before[0]).as("range requests in %.1f intervals", intervals)
                .isBetween(intervals / 2, intervals * 1.5 + 2);
        assertThat(after[1] - before[1]).as("transactions").isLessThanOrEqualTo(2);
        for (int group = 0; group < groups; group++) {
            assertThat(heard.get(group).stream().filter(call -> call.getFirst().equals("electionObserved")).count())
                    .as("reads heard by group " + group).isGreaterThanOrEqualTo((long) (intervals / 2));
        }
    }

    @Test
    void aWatchEventReadsItsGroupAtOnceNotAtTheNextInterval() throws Exception {
        long own = grant();
        Timing slowChecks = new Timing(TIMING.leaseTtl(), TIMING.renewInterval(), TIMING.keepAliveTimeout(),
                TIMING.fenceMargin(), Duration.ofSeconds(30), TIMING.reconcileInterval(), TIMING.startupTimeout());
        polls = ElectionPolls.ofGroups(client(), NAME, HEDGING, slowChecks, System::nanoTime, scheduler);
        observe("api", own, slowChecks);
        observe("ingress", own, slowChecks);
        next(0, "electionObserved");
        next(1, "electionObserved");

        long other = grant();
        put(ElectionKeys.ofGroup(NAME, "ingress").candidateKey(other), "node2", other);

        ElectionRead read = (ElectionRead) next(1, "electionObserved").get(2);
        assertThat(read.candidates()).extracting(Candidate::member).containsExactly("node2");
        assertThat(heard.get(0)).as("the other group read nothing").noneMatch(call ->
                call.getFirst().equals("electionObserved"));
    }

    private void observe(String group, long lease) {
        observe(group, lease, TIMING);
    }

    private void observe(String group, long lease, Timing timing) {
        BlockingQueue<List<Object>> calls = new LinkedBlockingQueue<>();
        heard.add(calls);
        EtcdCandidacy candidacy = new EtcdCandidacy(client(), ElectionKeys.ofGroup(NAME, group).name(), "node1",
                timing, HEDGING, System::nanoTime, scheduler, Runnable::run, NO_STATS, LeaseJournal.NONE);
        candidacy.pollTogetherWith(polls);
        candidacy.attach((ElectionListener) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ElectionListener.class}, (proxy, method, args) -> {
                    calls.add(Stream.concat(Stream.of(method.getName()),
                            args == null ? Stream.empty() : Arrays.stream(args)).toList());
                    return null;
                }));
        candidacies.add(candidacy);
        candidacy.observe(lease);
    }

    /** Range and Txn requests etcd has received so far. */
    private static double[] reads() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(etcd.endpoints() + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build();
        String metrics;
        try (HttpClient http = HttpClient.newHttpClient()) {
            metrics = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        }
        double[] counts = new double[2];
        Matcher matcher = RECEIVED.matcher(metrics);
        while (matcher.find()) {
            switch (matcher.group(1)) {
                case "Range" -> counts[0] += Double.parseDouble(matcher.group(2));
                case "Txn" -> counts[1] += Double.parseDouble(matcher.group(2));
                default -> {
                }
            }
        }
        return counts;
    }

    private long grant() throws Exception {
        return client().getLeaseClient().grant(30).get(10, TimeUnit.SECONDS).getID();
    }

    private void put(String key, String value, long lease) throws Exception {
        client().getKVClient().put(bytes(key), bytes(value), PutOption.builder().withLeaseId(lease).build())
                .get(10, TimeUnit.SECONDS);
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }

    private Client client() {
        return etcd.client();
    }

    /** The next report by that name to group {@code group}, the name first; other reports are skipped. */
    private List<Object> next(int group, String report) throws InterruptedException {
        return HeardReports.next(heard.get(group), report, "a report " + report + " to group " + group);
    }
}
