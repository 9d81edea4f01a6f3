package io.govip.cli;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.govip.config.InvalidOptionException;
import io.govip.election.Candidate;
import io.govip.election.ElectionKeys;
import io.govip.election.ElectionView;
import io.govip.election.HandoverRequest;
import io.govip.election.HolderRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * "govip handover": a planned switchover before maintenance. The leader removes the VIP, resigns and queues again;
 * the next (or the named) candidate takes over. Prints how long the VIP was absent, timed from etcd's watch events
 * (the old holder's release, the new holder's record), all on this machine's clock.
 */
@Command(name = "handover", sortOptions = false,
        description = {"Planned switchover: the leader steps down so that the next candidate, or the one named "
                + "with --to, takes over; prints how long the VIP was absent.",
                "Exit code 0 on success, 9 when nobody leads, 10 when the handover did not happen in time."})
public class HandoverCommand extends EtcdClientCommand {

    /** The request outlives the command only by this much if the command dies: it cannot linger. */
    private static final long REQUEST_TTL_SECONDS = 30;

    @Option(names = "--to", paramLabel = "MEMBER", description = "Hand over to this candidate")
    String target;

    @Option(names = {"-member", "--member"}, paramLabel = "NAME",
            description = "Without --group, when nobody leads the election under -name: hand over every --vip-group "
                    + "this member leads. Default: hostname (this machine's host name)")
    String member;

    /** When the old holder let go and when a new holder took over, as etcd's watch events reported them. */
    private static final class Timeline {
        final CompletableFuture<Long> releasedAt = new CompletableFuture<>();
        final CompletableFuture<String> newHolder = new CompletableFuture<>();
        volatile long takenAt;
    }

    @Override
    void validate() {
        if (target != null) {
            Names.require("--to", target);
        }
        if (member != null) {
            Names.require("-member", member);
        }
    }

    @Override
    ExitCode run(Client client, String electionName) throws Exception {
        ElectionKeys keys = new ElectionKeys(electionName);
        ElectionView view = ElectionView.read(client, keys, timeout);
        if (view.leader().isEmpty() && group == null) {
            return handOverGroupsLed(client, electionName);
        }
        return handOver(client, keys, view);
    }

    /**
     * The members of a fleet with --vip-group campaign beside the election under -name, one election per group:
     * this hands over each group that this member leads, one after the other.
     */
    private ExitCode handOverGroupsLed(Client client, String electionName) throws Exception {
        String self = member != null ? member : GovipCommand.hostName();
        List<ElectionKeys> led = new ArrayList<>();
        for (String name : GroupElections.names(client, electionName, timeout)) {
            ElectionKeys groupKeys = ElectionKeys.ofGroup(electionName, name);
            ElectionView groupView = ElectionView.read(client, groupKeys, timeout);
            if (groupView.leader().filter(leader -> leader.member().equals(self)).isPresent()) {
                led.add(groupKeys);
            }
        }
        if (led.isEmpty()) {
            System.err.println("govip handover: no leader in " + electionName + ", and " + self + " leads no group "
                    + "beside it: nothing to hand over");
            return ExitCode.NO_LEADER;
        }
        ExitCode worst = ExitCode.OK;
        for (ElectionKeys groupKeys : led) {
            ExitCode code = handOver(client, groupKeys, ElectionView.read(client, groupKeys, timeout));
            worst = code == ExitCode.OK ? worst : code;
        }
        return worst;
    }

    private ExitCode handOver(Client client, ElectionKeys keys, ElectionView view) throws Exception {
        String electionName = keys.name();
        Optional<Candidate> leader = view.leader();
        if (leader.isEmpty()) {
            System.err.println("govip handover: no leader in " + electionName + ": nothing to hand over");
            return ExitCode.NO_LEADER;
        }
        String from = leader.get().member();
        if (target != null && target.equals(from)) {
            spec.commandLine().getOut().println(from + " already leads");
            return ExitCode.OK;
        }
        if (target != null && view.candidates().stream().noneMatch(e -> e.candidate().member().equals(target))) {
            throw new InvalidOptionException("--to", target, "is not a candidate (candidates: " + view.candidates()
                    .stream().map(e -> e.candidate().member()).collect(Collectors.joining(", ")) + ")");
        }
        if (view.candidates().size() < 2) {
            System.err.println("govip handover: " + from + " is the only candidate: no one could take over");
            return ExitCode.HANDOVER_FAILED;
        }
        Timeline timeline = new Timeline();
        try (Watch.Watcher holderWatch = watchHolder(client, keys, from, view.revision(), timeline);
                Watch.Watcher leaderWatch = watchLeaderKey(client, leader.get(), view.revision(), timeline)) {
            return handOver(client, keys, leader.get(), timeline);
        }
    }

    private ExitCode handOver(Client client, ElectionKeys keys, Candidate leader, Timeline timeline)
            throws Exception {
        long requestLease = client.getLeaseClient().grant(REQUEST_TTL_SECONDS)
                .get(timeout.toNanos(), TimeUnit.NANOSECONDS).getID();
        ByteSequence requestKey = bytes(keys.handoverKey());
        try {
            long requestedAt = System.nanoTime();
            HandoverRequest request = new HandoverRequest(leader.leaseId(), Optional.ofNullable(target), 0);
            client.getKVClient().put(requestKey, bytes(request.encode()),
                    PutOption.builder().withLeaseId(requestLease).build()).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            String newHolder = timeline.newHolder.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            Duration total = Duration.ofNanos(timeline.takenAt - requestedAt);
            Duration absent = Duration.ofNanos(timeline.takenAt - timeline.releasedAt.getNow(requestedAt));
            spec.commandLine().getOut().printf("handover: %s -> %s in %d ms; VIP absent for %.1f ms "
                    + "(from %s's release to %s's takeover, as seen through etcd)%n", leader.member(), newHolder,
                    total.toMillis(), absent.toNanos() / 1e6, leader.member(), newHolder);
            spec.commandLine().getOut().flush();
            if (target != null && !target.equals(newHolder)) {
                System.err.println("govip handover: " + newHolder + " took over, not " + target);
                return ExitCode.HANDOVER_FAILED;
            }
            return ExitCode.OK;
        } catch (TimeoutException e) {
            System.err.println("govip handover: " + leader.member() + " did not hand over within "
                    + DurationConverter.format(timeout) + " (an original govip cannot hand over)");
            return ExitCode.HANDOVER_FAILED;
        } finally {
            client.getKVClient().delete(requestKey);
            client.getLeaseClient().revoke(requestLease);
        }
    }

    private static Watch.Watcher watchHolder(Client client, ElectionKeys keys, String oldHolder, long revision,
            Timeline timeline) {
        return client.getWatchClient().watch(bytes(keys.holderKey()),
                WatchOption.builder().withRevision(revision + 1).build(), response -> {
                    long now = System.nanoTime();
                    for (WatchEvent event : response.getEvents()) {
                        Optional<HolderRecord> holder = event.getEventType() == WatchEvent.EventType.DELETE
                                ? Optional.empty() : HolderRecord.decode(event.getKeyValue());
                        if (holder.isEmpty() || holder.get() instanceof HolderRecord.Released) {
                            timeline.releasedAt.complete(now);
                        } else if (!holder.get().member().equals(oldHolder) && !timeline.newHolder.isDone()) {
                            timeline.takenAt = now;
                            timeline.newHolder.complete(holder.get().member());
                        }
                    }
                });
    }

    private static Watch.Watcher watchLeaderKey(Client client, Candidate leader, long revision, Timeline timeline) {
        return client.getWatchClient().watch(bytes(leader.key()),
                WatchOption.builder().withRevision(revision + 1).withNoPut(true).build(),
                response -> timeline.releasedAt.complete(System.nanoTime()));
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }
}
