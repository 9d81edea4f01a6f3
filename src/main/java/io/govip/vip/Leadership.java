package io.govip.vip;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

import io.govip.config.Timing;
import io.govip.election.Candidate;
import io.govip.election.CandidateQueue;
import io.govip.election.ElectionListener;
import io.govip.election.ElectionPort;
import io.govip.election.HandoverRequest;
import io.govip.etcd.EtcdFailure;

/**
 * The single owner of the truth "am I the leader, may I hold the VIP". It reacts to what etcd reports and to the
 * passing of time, and says what it wants ({@link #role}, {@link #intent}); it never touches the kernel itself.
 * Calls to etcd that follow from an event are deferred ({@link #takeFollowUps}) so that the VIP is reconciled
 * first: on a loss, the VIP goes before anything else happens.
 *
 * <p>Leadership is tied to this process's own lease and candidate key, never to the member name: a second
 * process with the same name has another lease, so it can never be mistaken for this one.
 *
 * <p>Not thread-safe: one thread (the {@link LeadershipLoop}) calls everything.
 */
public final class Leadership implements ElectionListener {

    private static final Duration FIRST_RETRY = Duration.ofMillis(250);
    private static final Duration MAX_RETRY = Duration.ofSeconds(2);
    /** A member going down closes a connection once; an endpoint that closes every fresh one speaks another protocol. */
    private static final int CLOSED_BY_ENDPOINT_LIMIT = 3;
    /** How long a leader waits for a named handover target to move up behind it before stepping down anyway. */
    private static final Duration HANDOVER_WAIT = Duration.ofSeconds(5);

    /** A handover to a named member, waiting for that member to be next in line. */
    private record PendingHandover(String target, long deadline) {
    }

    private enum Phase { STARTING, RUNNING, STOPPING, STOPPED }

    private final Timing timing;
    private final String member;
    private final ElectionPort etcd;
    private final LongSupplier clock;
    private final Delays delays;
    private final List<Runnable> followUps = new ArrayList<>();

    private Phase phase = Phase.STARTING;
    private long startedAt;
    private long leaseId;
    private long leaseTtlSeconds;
    private long deadline;
    private long campaign;
    private long electionChangedAt;
    private long abandonedKeyRevision = -1;
    private boolean campaigning;
    private boolean interfaceUsable = true;
    private boolean holderPublished;
    private long handledHandover;
    private Optional<PendingHandover> pendingHandover = Optional.empty();
    private Candidate self;
    private CandidateQueue queue = CandidateQueue.EMPTY;
    private Optional<EtcdFailure> keepAliveTrouble = Optional.empty();
    private Optional<EtcdFailure> lastFailure = Optional.empty();
    private Duration retryDelay = FIRST_RETRY;
    private int closedByEndpointInARow;
    private String reason = "starting";
    private Cause cause = Cause.STARTUP;
    private Stop stop = new Stop(StopReason.REQUESTED, "still running");

    /** Runs a task on the state machine's thread after a delay. */
    public interface Delays {
        void after(Duration delay, Runnable task);
    }

    public Leadership(Timing timing, String member, ElectionPort etcd, LongSupplier clock, Delays delays) {
        this.timing = timing;
        this.member = member;
        this.etcd = etcd;
        this.clock = clock;
        this.delays = delays;
    }

    public void start() {
        startedAt = clock.getAsLong();
        electionChangedAt = startedAt;
        because(Cause.STARTUP, "asking etcd for a lease");
        followUps.add(etcd::grantLease);
    }

    // ---- what the state machine wants ------------------------------------------------------------------------

    public Role role(long now) {
        if (phase == Phase.STOPPING || phase == Phase.STOPPED) {
            return Role.STOPPING;
        }
        if (leaseId == 0) {
            return phase == Phase.STARTING ? Role.STARTING : Role.DISCONNECTED;
        }
        boolean proven = now - deadline < 0;
        if (self != null) {
            return proven ? Role.LEADER : Role.FENCED;
        }
        return proven ? Role.CANDIDATE : Role.DISCONNECTED;
    }

    public VipIntent intent(long now) {
        return role(now) == Role.LEADER ? new VipIntent.Hold(deadline) : VipIntent.RELEASE;
    }

    /** Why the role is what it is, in words for the log line of a transition. */
    public String reason(long now) {
        if (isPastDeadline(now)) {
            return "no keep-alive answered within the fencing deadline (lease TTL "
                    + leaseTtlSeconds + "s minus " + timing.fenceMargin().toMillis() + "ms margin)"
                    + keepAliveTrouble.map(failure -> ": " + failure.description()).orElse("");
        }
        return reason;
    }

    /** The class of {@link #reason}: a bounded set, fit for a metric label. */
    public Cause cause(long now) {
        return isPastDeadline(now) ? Cause.FENCING_DEADLINE : cause;
    }

    /** When the role changes next by the clock alone, if nothing else happens: the fencing deadline. */
    public Optional<Long> nextDeadline(long now) {
        Role role = role(now);
        return role == Role.LEADER || role == Role.CANDIDATE ? Optional.of(deadline) : Optional.empty();
    }

    /** The etcd calls decided by the last events, to run once the VIP matches the new intent. */
    public List<Runnable> takeFollowUps() {
        List<Runnable> taken = List.copyOf(followUps);
        followUps.clear();
        return taken;
    }

    public boolean isStopped() {
        return phase == Phase.STOPPED;
    }

    /** Why the machine stopped; meaningful once {@link #isStopped()}. */
    public Stop stopped() {
        return stop;
    }

    public LeadershipSnapshot snapshot(long now) {
        return new LeadershipSnapshot(role(now), member, leaseId, leaseId == 0 ? Duration.ZERO
                : Duration.ofNanos(Math.max(0, deadline - now)), Optional.ofNullable(self), queue,
                lastFailure.map(EtcdFailure::description), keepAliveTrouble.map(EtcdFailure::description),
                phase != Phase.STARTING);
    }

    // ---- events --------------------------------------------------------------------------------------------

    public void stopRequested(String why) {
        stop(StopReason.REQUESTED, why);
    }

    /** Something that cannot be retried away: stop (removing the VIP first) for this reason. */
    public void fail(StopReason reason, String why) {
        stop(reason, why);
    }

    /**
     * A VIP on an interface that is missing, down or without carrier reaches no one: a leader steps aside so that
     * another node can serve, and this one stays out of the election until the interface is usable again.
     */
    public void interfaceUsable(boolean usable, String why) {
        if (usable == interfaceUsable) {
            return;
        }
        interfaceUsable = usable;
        if (phase != Phase.RUNNING || leaseId == 0) {
            return;
        }
        if (usable) {
            because(Cause.INTERFACE, why + ": campaigning again");
            startCampaign();
            return;
        }
        because(Cause.INTERFACE, why + ": withdrawing from the election");
        abandonKeyOf(leaseId);
        self = null;
        electionChanged();
        campaign++;
        campaigning = false;
        long lease = leaseId;
        followUps.add(() -> etcd.withdraw(lease, () -> { }));
    }

    @Override
    public void leaseGranted(long grantedLease, long sentAtNanos, long ttlSeconds) {
        if (phase == Phase.STOPPING || phase == Phase.STOPPED || leaseId != 0) {
            followUps.add(() -> etcd.revoke(grantedLease, () -> { }));
            return;
        }
        phase = Phase.RUNNING;
        leaseId = grantedLease;
        leaseTtlSeconds = ttlSeconds;
        deadline = sentAtNanos + Duration.ofSeconds(ttlSeconds).minus(timing.fenceMargin()).toNanos();
        retryDelay = FIRST_RETRY;
        lastFailure = Optional.empty();
        keepAliveTrouble = Optional.empty();
        because(Cause.LEASE_GRANTED, "lease " + Long.toHexString(grantedLease) + " granted (TTL " + ttlSeconds
                + "s), campaigning");
        followUps.add(() -> {
            etcd.startKeepAlives(grantedLease);
            etcd.observe(grantedLease);
        });
        startCampaign();
    }

    @Override
    public void leaseGrantFailed(EtcdFailure failure) {
        lastFailure = Optional.of(failure);
        if (phase == Phase.STOPPING || phase == Phase.STOPPED) {
            return;
        }
        if (phase == Phase.STARTING) {
            closedByEndpointInARow = failure.kind() == EtcdFailure.Kind.CLOSED_BY_ENDPOINT ? closedByEndpointInARow + 1
                    : 0;
            if (closedByEndpointInARow >= CLOSED_BY_ENDPOINT_LIMIT) {
                stop(StopReason.ETCD_TLS_MISMATCH, "etcd refused govip: every endpoint tried accepted the connection "
                        + "and closed it at once, as a TLS endpoint does to plain http (use https:// with -cacert): "
                        + failure.description());
                return;
            }
            if (failure.kind().isConfigurationError()) {
                stop(failure.kind() == EtcdFailure.Kind.TLS ? StopReason.ETCD_TLS_MISMATCH : StopReason.ETCD_AUTH_FAILED,
                        "etcd refused govip: " + failure.description());
                return;
            }
            Duration waited = Duration.ofNanos(clock.getAsLong() - startedAt);
            if (!timing.startupTimeout().isZero() && waited.compareTo(timing.startupTimeout()) >= 0) {
                stop(StopReason.ETCD_UNREACHABLE, "no etcd endpoint answered within " + timing.startupTimeout()
                        .toSeconds() + "s: " + failure.description());
                return;
            }
        }
        because(Cause.ETCD_UNAVAILABLE, "etcd did not grant a lease: " + failure.description() + "; retrying");
        retryLater(etcd::grantLease);
    }

    @Override
    public void keepAliveAcknowledged(long lease, long sentAtNanos, long ttlSeconds) {
        if (lease != leaseId) {
            return;
        }
        boolean lapsed = isPastDeadline(clock.getAsLong());
        long provenUntil = sentAtNanos + Duration.ofSeconds(ttlSeconds).minus(timing.fenceMargin()).toNanos();
        if (provenUntil - deadline > 0) {
            deadline = provenUntil;
        }
        if (lapsed && !isPastDeadline(clock.getAsLong())) {
            because(Cause.KEEPALIVE_ANSWERED, "keep-alives answered again: lease " + Long.toHexString(lease)
                    + " is alive");
        }
    }

    /** Only the trouble signal ends here: the deadline moved with every answer, as it must. */
    @Override
    public void keepAlivesRecovered(long lease) {
        if (lease == leaseId) {
            keepAliveTrouble = Optional.empty();
        }
    }

    @Override
    public void keepAliveFailed(long lease, EtcdFailure failure) {
        if (lease != leaseId) {
            return;
        }
        keepAliveTrouble = Optional.of(failure);
        lastFailure = Optional.of(failure);
    }

    @Override
    public void leaseLost(long lease, String why) {
        if (lease != leaseId) {
            return;
        }
        dropLease(why);
        if (phase == Phase.RUNNING) {
            followUps.add(etcd::grantLease);
        }
    }

    @Override
    public void electionWon(long lease, long campaignNumber, Candidate winner) {
        if (lease != leaseId || campaignNumber != campaign || phase != Phase.RUNNING) {
            return;
        }
        campaigning = false;
        if (self == null) {
            lead(winner);
            because(Cause.ELECTION_WON, "won the election: key " + winner.key() + " is first in line");
        }
    }

    @Override
    public void campaignFailed(long lease, long campaignNumber, EtcdFailure failure) {
        if (lease != leaseId || campaignNumber != campaign || phase != Phase.RUNNING) {
            return;
        }
        campaigning = false;
        lastFailure = Optional.of(failure);
        switch (failure.kind()) {
            case AUTHENTICATION, PERMISSION -> stop(StopReason.ETCD_AUTH_FAILED,
                    "etcd refused the campaign under the election prefix: " + failure.description());
            case LEASE_NOT_FOUND -> leaseLost(lease, "lease " + Long.toHexString(lease) + " expired while campaigning");
            default -> retryLater(() -> {
                if (leaseId == lease && self == null && !campaigning) {
                    startCampaign();
                }
            });
        }
    }

    @Override
    public void candidatesObserved(long lease, List<Candidate> observed, long sentAtNanos) {
        if (lease != leaseId || phase != Phase.RUNNING || sentAtNanos - electionChangedAt < 0) {
            return;
        }
        queue = new CandidateQueue(observed);
        Optional<Candidate> olderTwin = queue.olderTwin(lease, member);
        if (olderTwin.isPresent()) {
            duplicateMember(lease, olderTwin.get());
            return;
        }
        Optional<Candidate> first = queue.leader();
        boolean firstIsSelf = first.isPresent() && first.get().leaseId() == lease
                && first.get().createRevision() != abandonedKeyRevision;
        if (self != null && !firstIsSelf) {
            stepDown(first.map(leader -> "etcd names " + leader + " as leader").orElse(
                    "etcd lists no leader, not even this member"));
        } else if (self == null && firstIsSelf && interfaceUsable) {
            lead(first.get());
            because(Cause.ELECTION_WON, "etcd lists key " + self.key() + " first: leading");
        }
        if (self != null) {
            handOverIfTargetIsNext();
        }
    }

    @Override
    public void ownKeyDeleted(long lease) {
        if (lease != leaseId || phase != Phase.RUNNING) {
            return;
        }
        if (self != null) {
            stepDown("election key " + self.key() + " was deleted (its lease expired, or someone deleted it)");
        } else {
            startCampaign();
        }
    }

    @Override
    public void duplicateMember(long lease, Candidate other) {
        if (lease != leaseId || phase != Phase.RUNNING) {
            return;
        }
        stop(StopReason.DUPLICATE_MEMBER, "member name \"" + member + "\" is already used by another live govip "
                + "(lease " + Long.toHexString(other.leaseId()) + ", key " + other.key()
                + "): give every govip its own -member");
    }

    /** The kernel now holds the VIP: tell etcd, so "govip status" and "govip handover" can see who holds it. */
    public void vipTaken() {
        long lease = leaseId;
        if (lease != 0 && !holderPublished) {
            holderPublished = true;
            followUps.add(() -> etcd.publishHolder(lease));
        }
    }

    public void vipReleased() {
        long lease = leaseId;
        if (holderPublished && lease != 0) {
            followUps.addFirst(() -> etcd.clearHolder(lease));
        }
        holderPublished = false;
    }

    @Override
    public void handoverRequested(long lease, HandoverRequest request) {
        if (lease != leaseId || phase != Phase.RUNNING || request.revision() <= handledHandover) {
            return;
        }
        handledHandover = request.revision();
        Optional<String> target = request.toMember();
        if (self != null && request.fromLease() == lease) {
            if (target.isEmpty()) {
                handOver("handover requested");
            } else if (!target.get().equals(member)) {
                pendingHandover = Optional.of(new PendingHandover(target.get(),
                        clock.getAsLong() + HANDOVER_WAIT.toNanos()));
                handOverIfTargetIsNext();
            }
        } else if (self == null && target.isPresent() && !target.get().equals(member)
                && queue.isAheadOf(lease, target.get())) {
            makeRoomFor(target.get());
        }
    }

    // ---- internals -----------------------------------------------------------------------------------------

    /** Steps down for "govip handover": the VIP goes first (by the role change), then the key, then the queue. */
    private void handOver(String why) {
        Candidate leader = self;
        long lease = leaseId;
        abandonedKeyRevision = leader.createRevision();
        self = null;
        pendingHandover = Optional.empty();
        electionChanged();
        campaign++;
        campaigning = false;
        because(Cause.HANDOVER, why + ": stepping down");
        followUps.add(() -> etcd.resign(leader, () -> rejoinQueue(lease)));
    }

    private void handOverIfTargetIsNext() {
        pendingHandover.ifPresent(pending -> {
            if (queue.isNext(pending.target())) {
                handOver("handover to " + pending.target() + " requested");
            } else if (clock.getAsLong() - pending.deadline() >= 0) {
                handOver("handover to " + pending.target() + " requested, but it did not move up in time");
            }
        });
    }

    /** A candidate ahead of a handover's target goes to the back of the queue so the target comes next. */
    private void makeRoomFor(String target) {
        long lease = leaseId;
        abandonKeyOf(lease);
        electionChanged();
        campaign++;
        campaigning = false;
        because(Cause.HANDOVER, "making room for " + target + " (handover)");
        followUps.add(() -> etcd.withdraw(lease, () -> rejoinQueue(lease)));
    }

    private void rejoinQueue(long lease) {
        if (lease == leaseId && phase == Phase.RUNNING && self == null) {
            startCampaign();
        }
    }

    private boolean isPastDeadline(long now) {
        return leaseId != 0 && now - deadline >= 0 && phase == Phase.RUNNING;
    }

    private void because(Cause newCause, String why) {
        cause = newCause;
        reason = why;
    }

    /**
     * Marks this lease's current key as one being given up (resigned or withdrawn): until its deletion shows, a
     * read can still list it first, and leading on it again would put the VIP back while the successor takes over.
     */
    private void abandonKeyOf(long lease) {
        if (self != null) {
            abandonedKeyRevision = self.createRevision();
            return;
        }
        queue.own(lease).ifPresent(own -> abandonedKeyRevision = own.createRevision());
    }

    private void lead(Candidate key) {
        self = key;
        electionChanged();
    }

    private void stepDown(String why) {
        self = null;
        because(Cause.STEPPED_DOWN, why + ": stepping down");
        startCampaign();
    }

    /**
     * Answers about the election overtake each other: a read sent before a win can arrive after it, and would undo
     * a newer truth. Reads sent before the last change are therefore ignored.
     */
    private void electionChanged() {
        electionChangedAt = clock.getAsLong();
    }

    private void startCampaign() {
        electionChanged();
        if (!interfaceUsable) {
            return;
        }
        campaign++;
        campaigning = true;
        long lease = leaseId;
        long number = campaign;
        followUps.add(() -> etcd.campaign(lease, number));
    }

    private void dropLease(String why) {
        because(Cause.LEASE_LOST, why);
        leaseId = 0;
        self = null;
        campaigning = false;
        queue = CandidateQueue.EMPTY;
        followUps.add(etcd::stopKeepAlives);
    }

    private void retryLater(Runnable attempt) {
        Duration delay = retryDelay;
        retryDelay = retryDelay.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retryDelay.multipliedBy(2);
        followUps.add(() -> delays.after(delay, attempt));
    }

    /** Removes the VIP (by the role change), then resigns and revokes, then reports why it stopped. */
    private void stop(StopReason reason, String why) {
        if (phase == Phase.STOPPING || phase == Phase.STOPPED) {
            return;
        }
        stop = new Stop(reason, why);
        because(reason == StopReason.REQUESTED ? Cause.STOP : Cause.FATAL, why);
        phase = Phase.STOPPING;
        Candidate leader = self;
        long lease = leaseId;
        self = null;
        Runnable finished = () -> phase = Phase.STOPPED;
        Runnable revoke = lease == 0 ? finished : () -> etcd.revoke(lease, finished);
        followUps.add(leader == null ? revoke : () -> etcd.resign(leader, revoke));
    }
}
