package io.govip.election;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.PutOption;
import io.govip.config.Timing;

/**
 * Real {@link EtcdCandidacy} objects on a real etcd, for tests of what they write: candidate keys put as the
 * election recipe puts them, and every report a candidacy gives its listener queued by name, to be awaited.
 */
final class CandidacyRig implements AutoCloseable {

    static final Timing TIMING = new Timing(Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofSeconds(2),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(10));
    static final Hedging HEDGING = Hedging.across(1, TIMING);

    private final String name;
    private final Supplier<Client> client;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final BlockingQueue<List<Object>> heard = new LinkedBlockingQueue<>();

    CandidacyRig(String name, Supplier<Client> client) {
        this.name = name;
        this.client = client;
    }

    /** A candidate key as the election recipe writes it, under a fresh lease. */
    Candidate candidate(String member) throws Exception {
        long lease = client.get().getLeaseClient().grant(30).get(10, TimeUnit.SECONDS).getID();
        String key = new ElectionKeys(name).candidateKey(lease);
        long revision = client.get().getKVClient().put(bytes(key), bytes(member),
                PutOption.builder().withLeaseId(lease).build()).get(10, TimeUnit.SECONDS).getHeader().getRevision();
        return new Candidate(key, lease, member, revision);
    }

    EtcdCandidacy candidacy(String member, boolean fastFailover) {
        EtcdCandidacy candidacy = new EtcdCandidacy(client.get(), name, member, TIMING, HEDGING, System::nanoTime,
                scheduler, Runnable::run, new KeepAliveStats() {
                    @Override
                    public void answered(Duration roundTrip) {
                    }

                    @Override
                    public void failed() {
                    }
                }, fastFailover, LeaseJournal.NONE);
        candidacy.attach((ElectionListener) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ElectionListener.class}, (proxy, method, args) -> {
                    heard.add(Stream.concat(Stream.of(method.getName()),
                            args == null ? Stream.empty() : Arrays.stream(args))
                            .map(value -> value == null ? "null" : value).toList());
                    return null;
                }));
        return candidacy;
    }

    /** The next report by that name, its arguments after the name; other reports (reads) are skipped. */
    List<Object> next(String report) throws InterruptedException {
        return HeardReports.next(heard, report, "a report " + report);
    }

    static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
