package io.govip.vip;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

import io.govip.config.FastFailoverTiming;
import io.govip.config.Timing;
import io.govip.config.TrackSettings;
import io.govip.election.Candidate;
import io.govip.election.CandidateQueue;
import io.govip.election.ElectionListener;
import io.govip.election.ElectionPort;
import io.govip.election.ElectionRead;
import io.govip.election.HandoverRequest;
import io.govip.election.HolderRecord;
import io.govip.election.RevokersRecord;
import io.govip.etcd.EtcdFailure;
import io.govip.peer.Heartbeat;
import io.govip.peer.HeartbeatContent;

/**
 * The single owner of the truth "am I the leader, may I hold the VIP". It reacts to what etcd reports and to the
 * passing of time, and says what it wants ({@link #role}, {@link #intent}); it never touches the kernel itself.
 * Calls to etcd that follow from an event are deferred ({@link #takeFollowUps}) so that the VIP is reconciled
 * first: on a loss, the VIP goes before anything else happens.
 *
 * <p>Leadership is tied to this process's own lease and candidate key, never to the member name: a second
 * process with the same name has another lease, so it can never be mistaken for this one. What belongs to one lease
 * lives in its {@link LeaseTerm}; a won election becomes a held VIP only once the predecessor provably let go
 * ({@link Succession}) and this member's holder record is stored.
 *
 * <p>Not thread-safe: one thread (the {@link LeadershipLoop}) calls everything.
 */
public final class Leadership implements ElectionListener {

    private static final Duration FIRST_RETRY = Duration.ofMillis(250);
    private static final Duration MAX_RETRY = Duration.ofSeconds(2);
    /**
     * A member going down closes a connection once; an endpoint that closes every fresh one speaks another protocol.
     */
    private static final int CLOSED_BY_ENDPOINT_LIMIT = 3;
    /** A holder lease reported with this much left or less is read every renew interval (see below). */
    private static final long ENDING_SECONDS = 2;
    /** Enough for a candidate's withdrawal to reach etcd and its watch to reach this member, on a healthy etcd. */
    private static final Duration ETCD_ROUND_TRIP = Duration.ofMillis(100);

    private enum Phase { STARTING, RUNNING, STOPPING, STOPPED }

    private final Timing timing;
    private final String member;
    private final ElectionPort etcd;
    private final LongSupplier clock;
    private final Delays delays;
    private final Handover handover;
    private final List<Runnable> followUps = new ArrayList<>();
    /**
     * What this process saw of the holder record, kept across its leases: a holder seen before this process lost
     * its lease may still hold the VIP when it leads under the next one.
     */
    private final Succession succession;
    /** The rules of fast failover, when it is on; without it, leadership rests on the lease alone. */
    private final Optional<FastFailover> fast;

    private Phase phase = Phase.STARTING;
    private long startedAt;
    private boolean interfaceUsable = true;
    /** What the checks of the service behind the VIP say; see {@link ServiceTracking}. */
    private final ServiceTracking service;
    /** The current lease's state; null while no lease is held. */
    private LeaseTerm term;
    /** The lease whose holder record may be in etcd and must be released once the VIP is gone; 0 for none. */
    private long holderRecordLease;
    /** Whether the last report of another member's holding lease showed it about to end. */
    private boolean holderLeaseEnding;
    /** Whether a read for the ending holder lease is already scheduled: one at a time. */
    private boolean endingReadScheduled;
    /** Whether etcd ever answered a read of the election: a refusal before that ends the process. */
    private boolean electionReadOnce;
    private Optional<EtcdFailure> refusal = Optional.empty();
    private Optional<EtcdFailure> lastFailure = Optional.empty();
    private Duration retryDelay = FIRST_RETRY;
    private int closedByEndpointInARow;
    private String reason = "starting";
    private Cause cause = Cause.STARTUP;
    private Stop stop = new Stop(StopReason.REQUESTED, "still running");
    /** What a stopping member does once the kernel shows the VIP gone: resign and revoke. */
    private Optional<Runnable> afterRelease = Optional.empty();

    /** Runs a task on the state machine's thread after a delay. */
    public interface Delays {
        void after(Duration delay, Runnable task);
    }

    public Leadership(Timing timing, String member, ElectionPort etcd, LongSupplier clock, Delays delays) {
        this(timing, Optional.empty(), member, etcd, clock, delays);
    }

    /** With {@code fastFailover} present, the rules of fast failover (docs/fast-failover-design.md) apply too. */
    public Leadership(Timing timing, Optional<FastFailoverTiming> fastFailover, String member, ElectionPort etcd,
            LongSupplier clock, Delays delays) {
        this(timing, fastFailover, member, etcd, clock, delays, TrackSettings.NONE);
    }

    /** The same, following the checks of the service behind the VIP too ({@link #serviceHealth}). */
    public Leadership(Timing timing, Optional<FastFailoverTiming> fastFailover, String member, ElectionPort etcd,
            LongSupplier clock, Delays delays, TrackSettings track) {
        this.fast = fastFailover.map(fastTiming -> new FastFailover(fastTiming, member));
        this.service = new ServiceTracking(track.holdDown(), track.verdictSpread().plus(ETCD_ROUND_TRIP));
        this.timing = timing;
        this.member = member;
        this.etcd = etcd;
        this.clock = clock;
        this.delays = delays;
        this.handover = new Handover(member);
        this.succession = new Succession(timing);
    }

    public void start() {
        startedAt = clock.getAsLong();
        because(Cause.STARTUP, "asking etcd for a lease");
        followUps.add(etcd::grantLease);
    }

    // ---- what the state machine wants ------------------------------------------------------------------------

    public Role role(long now) {
        if (phase == Phase.STOPPING || phase == Phase.STOPPED) {
            return Role.STOPPING;
        }
        if (term == null) {
            return phase == Phase.STARTING ? Role.STARTING : Role.DISCONNECTED;
        }
        boolean proven = now - term.deadline < 0;
        if (term.leads()) {
            return proven && !isPastOwnKeyProof(now) ? Role.LEADER : Role.FENCED;
        }
        return proven ? Role.CANDIDATE : Role.DISCONNECTED;
    }

    public VipIntent intent(long now) {
        return role(now) == Role.LEADER && term.holder == LeaseTerm.HolderStep.PUBLISHED
                ? new VipIntent.Hold(holdDeadline()) : VipIntent.RELEASE;
    }

    /**
     * Fast failover: until when the kernel switch may let the VIP answer; empty means shut. Without fast failover
     * there is no switch, and this is always empty.
     */
    public OptionalLong switchOpenUntil(long now) {
        if (fast.isEmpty() || !(intent(now) instanceof VipIntent.Hold hold)) {
            return OptionalLong.empty();
        }
        return fast.get().switchOpenUntil(hold.deadlineNanos());
    }

    /**
     * Fast failover: what this member's heartbeats say now (the transport stamps the send time); empty while it
     * holds no lease or fast failover is off.
     */
    public Optional<HeartbeatContent> heartbeat() {
        if (fast.isEmpty() || term == null || phase != Phase.RUNNING) {
            return Optional.empty();
        }
        return Optional.of(new HeartbeatContent(member, term.leaseId, term.leads(), fast.get().echoes()));
    }

    /** Fast failover: how many leases of a silent leader this process revoked. */
    public long revokesMade() {
        return fast.map(FastFailover::revokesMade).orElse(0L);
    }

    /** Fast failover: the newest revoke this member made; empty when none, or fast failover is off. */
    public Optional<RevokeNotice> lastRevoke() {
        return fast.flatMap(FastFailover::lastRevoke);
    }

    /** Fast failover: when the newest heartbeat of each peer arrived (this member's clock), by member. */
    public Map<String, Long> peersLastHeard() {
        return fast.map(FastFailover::lastReceived).orElse(Map.of());
    }

    /** Why the role is what it is, in words for the log line of a transition. */
    public String reason(long now) {
        if (isPastDeadline(now)) {
            return "no keep-alive answered within the fencing deadline (lease TTL "
                    + term.ttlSeconds + "s minus " + timing.fenceMargin().toMillis() + "ms margin)"
                    + term.keepAliveTrouble.map(failure -> ": " + failure.description()).orElse("");
        }
        if (isPastOwnKeyProof(now)) {
            return "no read of the election sent in the last " + ownKeyProofWindow().toMillis()
                    + " ms showed this member's key first, though its lease lives"
                    + lastFailure.map(failure -> ": " + failure.description()).orElse("");
        }
        return reason;
    }

    /** The class of {@link #reason}: a bounded set, fit for a metric label. */
    public Cause cause(long now) {
        return isPastDeadline(now) || isPastOwnKeyProof(now) ? Cause.FENCING_DEADLINE : cause;
    }

    /** When the role changes next by the clock alone, if nothing else happens: the fencing deadline. */
    public Optional<Long> nextDeadline(long now) {
        Role role = role(now);
        if (role == Role.LEADER) {
            return Optional.of(holdDeadline());
        }
        return role == Role.CANDIDATE ? Optional.of(term.deadline) : Optional.empty();
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
        boolean leased = term != null;
        return new LeadershipSnapshot(role(now), member, leased ? term.leaseId : 0,
                leased ? Duration.ofNanos(Math.max(0, term.deadline - now)) : Duration.ZERO,
                leased ? Optional.ofNullable(term.self) : Optional.empty(),
                leased ? term.queue : CandidateQueue.EMPTY,
                lastFailure.map(EtcdFailure::description),
                leased ? term.keepAliveTrouble.map(EtcdFailure::description) : Optional.empty(),
                phase != Phase.STARTING, intent(now) instanceof VipIntent.Hold, awaitedPredecessor(now),
                refusal.map(EtcdFailure::description), service.notice());
    }

    // ---- events --------------------------------------------------------------------------------------------

    /** Fast failover: a peer's heartbeat, received at {@code receivedAt} on this node's clock. */
    public void heard(Heartbeat heartbeat, long receivedAt) {
        fast.ifPresent(rules -> rules.heard(heartbeat, receivedAt));
    }

    /**
     * Fast failover: the loop's tick, every heartbeat interval. A leader publishes its revokers when they changed;
     * the candidate behind a silent leader acts on it (freeze its echo, then the conditional delete).
     */
    public void heartbeatTick() {
        if (fast.isEmpty()) {
            return;
        }
        FastFailover rules = fast.get();
        long now = clock.getAsLong();
        rules.tick(now);
        if (term == null || phase != Phase.RUNNING) {
            return;
        }
        long lease = term.leaseId;
        if (term.leads()) {
            Candidate self = term.self;
            rules.revokersToPublish(term.queue).ifPresent(publication -> followUps.add(() -> etcd.publishRevokers(
                    self, publication.record(), publication.expectedModRevision())));
            return;
        }
        rules.decide(now, lease, term.deadline, term.queue).ifPresent(act -> followUps.add(
                () -> etcd.deleteLeaderKey(lease, act.leader(), act.revokersModRevision())));
    }

    /**
     * Fast failover: when the candidate directly behind the leader should tick to act on the leader's silence, if it
     * falls silent for good; the periodic tick alone would act up to a heartbeat interval late.
     */
    public OptionalLong leaderSilenceReachesDetection() {
        if (fast.isEmpty() || term == null || phase != Phase.RUNNING || term.leads()) {
            return OptionalLong.empty();
        }
        return fast.get().silenceReachesDetection(term.leaseId, term.queue);
    }

    public void stopRequested(String why) {
        stop(StopReason.REQUESTED, why);
    }

    /** Something that cannot be retried away: stop (removing the VIP first) for this reason. */
    public void fail(StopReason stopReason, String why) {
        stop(stopReason, why);
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
        if (phase != Phase.RUNNING || term == null) {
            return;
        }
        if (usable) {
            because(Cause.INTERFACE, why + ": campaigning again");
            startCampaign();
            return;
        }
        because(Cause.INTERFACE, why + ": withdrawing from the election");
        abandonKey();
        stopLeading();
        electionChanged();
        term.campaign++;
        term.campaigning = false;
        long lease = term.leaseId;
        followUps.add(() -> etcd.withdraw(lease, () -> { }));
    }

    /**
     * The checks of the service behind the VIP changed their verdict. A failing candidate leaves the election (it
     * keeps its lease) and stands again once they pass; a failing leader hands over to a candidate, whose checks pass
     * or it would not be standing, or keeps the VIP when there is none.
     */
    public void serviceHealth(boolean healthy, String why) {
        if (!service.changed(healthy, why, clock.getAsLong()) || phase != Phase.RUNNING || term == null) {
            return;
        }
        if (healthy && !term.leads() && !term.campaigning && interfaceUsable) {
            because(Cause.SERVICE_CHECK, why + ": standing for election again");
            startCampaign();
        }
        followService();
    }

    /**
     * The kernel shows no VIP while none is wanted: only now may the holder record say so, and only after that
     * does a stopping member give up its key and lease (a lease revoked with the record still saying "holding"
     * would leave the successor waiting for the bound instead of the evidence).
     */
    public void vipAbsent() {
        boolean takingOrHolding = term != null && term.leads() && (term.holder == LeaseTerm.HolderStep.PUBLISHING
                || term.holder == LeaseTerm.HolderStep.PUBLISHED || term.holder == LeaseTerm.HolderStep.RECONFIRMING);
        if (takingOrHolding) {
            // About to add the VIP, or fenced for now but still leading: the record stays until it stops leading.
            return;
        }
        Runnable then = afterRelease.orElse(() -> { });
        afterRelease = Optional.empty();
        if (holderRecordLease != 0) {
            long lease = holderRecordLease;
            holderRecordLease = 0;
            followUps.addFirst(() -> etcd.releaseHolder(lease, then));
        } else {
            followUps.add(then);
        }
    }

    @Override
    public void leaseGranted(long grantedLease, long sentAtNanos, long ttlSeconds) {
        if (phase == Phase.STOPPING || phase == Phase.STOPPED || term != null) {
            followUps.add(() -> etcd.revoke(grantedLease, () -> { }));
            return;
        }
        phase = Phase.RUNNING;
        long deadline = sentAtNanos + Duration.ofSeconds(ttlSeconds).minus(timing.fenceMargin()).toNanos();
        term = new LeaseTerm(grantedLease, ttlSeconds, deadline, clock.getAsLong());
        fast.ifPresent(rules -> rules.leaseGranted(sentAtNanos));
        retryDelay = FIRST_RETRY;
        lastFailure = Optional.empty();
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
                stop(failure.kind() == EtcdFailure.Kind.TLS ? StopReason.ETCD_TLS_MISMATCH
                        : StopReason.ETCD_AUTH_FAILED, "etcd refused govip: " + failure.description());
                return;
            }
            Duration waited = Duration.ofNanos(clock.getAsLong() - startedAt);
            if (!timing.startupTimeout().isZero() && waited.compareTo(timing.startupTimeout()) >= 0) {
                stop(StopReason.ETCD_UNREACHABLE, "no etcd endpoint answered within " + timing.startupTimeout()
                        .toSeconds() + "s: " + failure.description());
                return;
            }
        } else if (failure.kind().isConfigurationError()) {
            refusal = Optional.of(failure);
        }
        because(Cause.ETCD_UNAVAILABLE, "etcd did not grant a lease: " + failure.description() + "; retrying");
        retryLater(etcd::grantLease);
    }

    @Override
    public void keepAliveAcknowledged(long lease, long sentAtNanos, long ttlSeconds) {
        if (!isCurrent(lease)) {
            return;
        }
        boolean lapsed = isPastDeadline(clock.getAsLong());
        long provenUntil = sentAtNanos + Duration.ofSeconds(ttlSeconds).minus(timing.fenceMargin()).toNanos();
        if (provenUntil - term.deadline > 0) {
            term.deadline = provenUntil;
        }
        fast.ifPresent(rules -> rules.keepAliveAcknowledged(sentAtNanos));
        if (lapsed && !isPastDeadline(clock.getAsLong())) {
            if (term.leads() && term.holder == LeaseTerm.HolderStep.PUBLISHED) {
                // A successor that won while this leader was cut off counts on its self-fence: a live lease does
                // not say that its key is still first.
                term.holder = LeaseTerm.HolderStep.RECONFIRMING;
                electionChanged();
                followUps.add(() -> etcd.readElection(lease));
            }
            because(Cause.KEEPALIVE_ANSWERED, "keep-alives answered again: lease " + Long.toHexString(lease)
                    + " is alive");
        }
    }

    /** Only the trouble signal ends here: the deadline moved with every answer, as it must. */
    @Override
    public void keepAlivesRecovered(long lease) {
        if (isCurrent(lease)) {
            term.keepAliveTrouble = Optional.empty();
        }
    }

    @Override
    public void keepAliveFailed(long lease, EtcdFailure failure) {
        if (!isCurrent(lease)) {
            return;
        }
        term.keepAliveTrouble = Optional.of(failure);
        lastFailure = Optional.of(failure);
    }

    @Override
    public void leaseLost(long lease, String why) {
        if (!isCurrent(lease)) {
            return;
        }
        dropLease(why);
        if (phase == Phase.RUNNING) {
            followUps.add(etcd::grantLease);
        }
    }

    @Override
    public void electionWon(long lease, long campaignNumber, Candidate winner) {
        if (!isRunning(lease) || campaignNumber != term.campaign) {
            return;
        }
        term.campaigning = false;
        etcdAccepted();
        if (winner.createRevision() == term.abandonedKeyRevision) {
            // The key this member gave up is still there (its withdrawal never reached etcd), and the campaign
            // returned it: leading on it would step down at the next read and campaign into it again, in a loop.
            because(Cause.ELECTION_WON, "the campaign returned the key " + winner.key() + " this member gave up: "
                    + "withdrawing it before campaigning again");
            followUps.add(() -> etcd.withdraw(lease, () -> rejoinQueue(lease)));
            return;
        }
        if (!term.leads()) {
            lead(winner);
            because(Cause.ELECTION_WON, "won the election: key " + winner.key() + " is first in line");
        }
    }

    @Override
    public void campaignFailed(long lease, long campaignNumber, EtcdFailure failure) {
        if (!isRunning(lease) || campaignNumber != term.campaign) {
            return;
        }
        term.campaigning = false;
        requestFailed(lease, failure, "the campaign under the election prefix", () -> {
            if (isCurrent(lease) && !term.leads() && !term.campaigning) {
                startCampaign();
            }
        });
    }

    @Override
    public void electionObserved(long lease, ElectionRead read) {
        if (!isRunning(lease)) {
            return;
        }
        etcdAccepted();
        succession.observed(read, lease, clock.getAsLong());
        fast.ifPresent(rules -> rules.electionRead(new CandidateQueue(read.candidates()), read.revokers(),
                read.sentAtNanos()));
        readOftenWhileTheHolderLeaseEnds(lease, Optional.of(read));
        if (read.sentAtNanos() - term.electionChangedAt >= 0) {
            followQueue(lease, new CandidateQueue(read.candidates()));
            if (term.leads() && (!term.ownKeyShown || read.sentAtNanos() - term.ownKeyShownAt > 0)) {
                term.ownKeyShownAt = read.sentAtNanos();
                term.ownKeyShown = true;
            }
            if (term.leads() && term.holder == LeaseTerm.HolderStep.RECONFIRMING) {
                term.holder = LeaseTerm.HolderStep.PUBLISHED;
            }
        }
        advanceTakeover();
    }

    @Override
    public void electionReadFailed(long lease, EtcdFailure failure) {
        if (!isRunning(lease)) {
            return;
        }
        lastFailure = Optional.of(failure);
        if (failure.kind().isConfigurationError()) {
            refused(failure, "to let govip read the election");
        }
        readOftenWhileTheHolderLeaseEnds(lease, Optional.empty());
    }

    @Override
    public void holderPublished(long lease) {
        if (!isRunning(lease)) {
            return;
        }
        etcdAccepted();
        if (term.leads() && term.holder == LeaseTerm.HolderStep.PUBLISHING) {
            term.holder = LeaseTerm.HolderStep.PUBLISHED;
        } else if (!term.leads()) {
            // It stepped down while the record was on its way: the record must not keep a successor waiting.
            holderRecordLease = lease;
        }
    }

    @Override
    public void holderPublishFailed(long lease, EtcdFailure failure) {
        if (!isRunning(lease)) {
            return;
        }
        requestFailed(lease, failure, "the holder record beside the election", () -> {
            if (isCurrent(lease) && term.leads() && term.holder == LeaseTerm.HolderStep.PUBLISHING) {
                Candidate self = term.self;
                followUps.add(() -> etcd.publishHolder(self));
            }
        });
    }

    @Override
    public void ownKeyDeleted(long lease) {
        if (!isRunning(lease)) {
            return;
        }
        if (term.leads()) {
            stepDown("election key " + term.self.key() + " was deleted (its lease expired, or someone deleted it)");
        } else {
            startCampaign();
        }
    }

    @Override
    public void duplicateMember(long lease, Candidate other) {
        if (!isRunning(lease)) {
            return;
        }
        stop(StopReason.DUPLICATE_MEMBER, "member name \"" + member + "\" is already used by another live govip "
                + "(lease " + Long.toHexString(other.leaseId()) + ", key " + other.key()
                + "): give every govip its own -member");
    }

    @Override
    public void handoverRequested(long lease, HandoverRequest request) {
        if (!isRunning(lease)) {
            return;
        }
        switch (handover.requested(request, lease, term.leads(), term.queue, clock.getAsLong())) {
            case Handover.Decision.StepDown stepDown -> handOver(stepDown.why());
            case Handover.Decision.MakeRoomFor makeRoom -> makeRoomFor(makeRoom.target());
            case Handover.Decision.Nothing nothing -> {
            }
        }
    }

    @Override
    public void revokersPublished(long lease, RevokersRecord record, long modRevision) {
        if (isRunning(lease)) {
            fast.ifPresent(rules -> rules.revokersPublished(record, modRevision));
        }
    }

    @Override
    public void revokersRejected(long lease, Optional<RevokersRecord> current, long currentModRevision) {
        if (isRunning(lease)) {
            fast.ifPresent(rules -> rules.revokersRejected(current, currentModRevision));
        }
    }

    @Override
    public void revokersPublishFailed(long lease, EtcdFailure failure) {
        if (isRunning(lease)) {
            lastFailure = Optional.of(failure);
            fast.ifPresent(FastFailover::revokersPublishFailed);
        }
    }

    @Override
    public void leaderKeyDeleted(long lease, Candidate leader, boolean deleted) {
        if (!isRunning(lease) || fast.isEmpty()) {
            return;
        }
        fast.get().leaderKeyAnswered(deleted);
        if (deleted) {
            followUps.add(() -> etcd.revokeLeaseOf(lease, leader.leaseId()));
        }
    }

    @Override
    public void leaderKeyDeleteFailed(long lease, Candidate leader, EtcdFailure failure) {
        if (isRunning(lease)) {
            lastFailure = Optional.of(failure);
            fast.ifPresent(FastFailover::leaderKeyFailed);
        }
    }

    @Override
    public void leaseRevoked(long lease, long revokedLease, long acknowledgedAtNanos) {
        if (fast.isEmpty()) {
            return;
        }
        fast.get().revoked(revokedLease, acknowledgedAtNanos);
        succession.revokedByThisMember(revokedLease, fast.get().fastClearance(acknowledgedAtNanos));
        advanceTakeover();
        if (isRunning(lease) && !term.leads()) {
            // The campaign learns of the deleted key through a watch, which may sit on an etcd member lost with
            // the holder's node: a read (hedged) tells this member that it leads well within the takeover wait.
            followUps.add(() -> etcd.readElection(lease));
        }
    }

    @Override
    public void leaseRevokeFailed(long lease, long revokedLease, EtcdFailure failure) {
        if (!isRunning(lease)) {
            return;
        }
        lastFailure = Optional.of(failure);
        // Its key is gone already: the revoke alone makes the takeover fast, so it is worth another try.
        fast.ifPresent(rules -> delays.after(rules.timing().heartbeatInterval(), () -> {
            if (isRunning(lease)) {
                followUps.add(() -> etcd.revokeLeaseOf(lease, revokedLease));
            }
        }));
    }

    // ---- internals -----------------------------------------------------------------------------------------

    private void followQueue(long lease, CandidateQueue queue) {
        term.queue = queue;
        Optional<Candidate> olderTwin = queue.olderTwin(lease, member);
        if (olderTwin.isPresent()) {
            duplicateMember(lease, olderTwin.get());
            return;
        }
        Optional<Candidate> first = queue.leader();
        boolean firstIsSelf = first.isPresent() && first.get().leaseId() == lease
                && first.get().createRevision() != term.abandonedKeyRevision;
        if (term.leads() && !firstIsSelf) {
            stepDown(first.map(leader -> "etcd names " + leader + " as leader").orElse(
                    "etcd lists no leader, not even this member"));
        } else if (!term.leads() && firstIsSelf && interfaceUsable) {
            lead(first.get());
            because(Cause.ELECTION_WON, "etcd lists key " + term.self.key() + " first: leading");
        }
        if (term.leads()) {
            handover.due(queue, clock.getAsLong()).ifPresent(this::handOver);
        }
        followService();
    }

    /** What failing checks ask of this member, given the queue it last read; see {@link ServiceTracking}. */
    private void followService() {
        if (term == null || phase != Phase.RUNNING) {
            return;
        }
        long now = clock.getAsLong();
        boolean standing = term.campaigning || term.queue.own(term.leaseId)
                .filter(own -> own.createRevision() != term.abandonedKeyRevision).isPresent();
        switch (service.decide(term.leads(), standing, term.queue, term.leaseId, term.leadingSince, now)) {
            case HAND_OVER -> handOver(Cause.SERVICE_CHECK, service.why());
            case WITHDRAW -> withdrawForService();
            case STAND_IN -> {
                because(Cause.SERVICE_CHECK, "no member stands for election: standing although " + service.why());
                startCampaign(true);
            }
            case RECHECK_LATER -> {
                long lease = term.leaseId;
                long leadingSince = term.leadingSince;
                delays.after(Duration.ofNanos(service.recheckAt() - now), () -> {
                    if (isRunning(lease) && term.leadingSince == leadingSince) {
                        followService();
                    }
                });
            }
            case NOTHING -> {
            }
        }
    }

    /**
     * A candidate whose checks fail leaves the election and keeps its lease, as for an unusable interface. A key
     * that shows up after this (a campaign already on its way) is withdrawn when a read shows it.
     */
    private void withdrawForService() {
        because(Cause.SERVICE_CHECK, service.why() + ": withdrawing from the election");
        abandonKey();
        electionChanged();
        term.campaign++;
        term.campaigning = false;
        long lease = term.leaseId;
        followUps.add(() -> etcd.withdraw(lease, () -> { }));
    }

    /**
     * A holder's lease about to run out may be expiring (its holder is gone) or about to be revoked: the successor
     * tells which by etcd's last report of the lease before it ends, and learns that it ended from the first read
     * after. So while the last report showed {@value #ENDING_SECONDS} s or less, a read follows every answered or
     * failed one after a renew interval, until a read shows the lease ended or no other lease holding: a read that
     * failed on a dead member, or came without its report, does not fall back to the read interval.
     */
    private void readOftenWhileTheHolderLeaseEnds(long lease, Optional<ElectionRead> read) {
        read.ifPresent(answered -> holderLeaseEnding = answered.holder()
                .filter(holder -> holder instanceof HolderRecord.Holding && holder.leaseId() != lease)
                .map(holding -> answered.holderLease().map(remaining -> !remaining.ended()
                        && remaining.seconds() <= ENDING_SECONDS).orElse(holderLeaseEnding))
                .orElse(false));
        if (!holderLeaseEnding || endingReadScheduled) {
            return;
        }
        endingReadScheduled = true;
        delays.after(timing.renewInterval(), () -> {
            endingReadScheduled = false;
            if (isRunning(lease)) {
                followUps.add(() -> etcd.readElection(lease));
            }
        });
    }

    /**
     * A leader takes the VIP in two steps, each only when the one before is done: the predecessor provably let go
     * (or its fencing must have removed the VIP), then this member's holder record is stored, and only then is the
     * VIP wanted. A clearance that lies in the future is checked again when it is due.
     */
    private void advanceTakeover() {
        if (term == null || !term.leads() || term.holder != LeaseTerm.HolderStep.AWAITING_CLEARANCE) {
            return;
        }
        OptionalLong clearance = succession.clearance(term.leaseId, term.leadingSince);
        if (clearance.isEmpty()) {
            return;
        }
        long now = clock.getAsLong();
        long lease = term.leaseId;
        if (clearance.getAsLong() - now > 0) {
            long leadingSince = term.leadingSince;
            delays.after(Duration.ofNanos(clearance.getAsLong() - now), () -> {
                if (isCurrent(lease) && term.leadingSince == leadingSince) {
                    advanceTakeover();
                }
            });
            return;
        }
        term.holder = LeaseTerm.HolderStep.PUBLISHING;
        holderRecordLease = lease;
        Candidate self = term.self;
        followUps.add(() -> etcd.publishHolder(self));
    }

    /** The member whose release this leader waits for before it takes the VIP, while it waits. */
    private Optional<String> awaitedPredecessor(long now) {
        if (term == null || !term.leads() || term.holder != LeaseTerm.HolderStep.AWAITING_CLEARANCE) {
            return Optional.empty();
        }
        OptionalLong clearance = succession.clearance(term.leaseId, term.leadingSince);
        if (clearance.isEmpty() || clearance.getAsLong() - now <= 0) {
            return Optional.empty();
        }
        return Optional.of(succession.awaited().orElse("the previous holder") + " to release the VIP (at most "
                + Duration.ofNanos(clearance.getAsLong() - now).toMillis() + " ms more)");
    }

    /** Steps down for "govip handover": the VIP goes first (by the role change), then the key, then the queue. */
    private void handOver(String why) {
        handOver(Cause.HANDOVER, why);
    }

    private void handOver(Cause handoverCause, String why) {
        Candidate leader = term.self;
        long lease = term.leaseId;
        term.abandonedKeyRevision = leader.createRevision();
        stopLeading();
        electionChanged();
        term.campaign++;
        term.campaigning = false;
        because(handoverCause, why + ": stepping down");
        followUps.add(() -> etcd.resign(leader, () -> rejoinQueue(lease)));
    }

    /** A candidate ahead of a handover's target goes to the back of the queue so the target comes next. */
    private void makeRoomFor(String target) {
        long lease = term.leaseId;
        abandonKey();
        electionChanged();
        term.campaign++;
        term.campaigning = false;
        because(Cause.HANDOVER, "making room for " + target + " (handover)");
        followUps.add(() -> etcd.withdraw(lease, () -> rejoinQueue(lease)));
    }

    private void rejoinQueue(long lease) {
        if (isRunning(lease) && !term.leads()) {
            startCampaign();
        }
    }

    private boolean isCurrent(long lease) {
        return term != null && term.leaseId == lease;
    }

    private boolean isRunning(long lease) {
        return isCurrent(lease) && phase == Phase.RUNNING;
    }

    private boolean isPastDeadline(long now) {
        return term != null && now - term.deadline >= 0 && phase == Phase.RUNNING;
    }

    /**
     * A leader whose reads failed for {@link Timing#ownKeyProofWindow} while its keep-alives got through fences itself
     * as if its lease had lapsed: a third party may have deleted its key, and the successor counts on this. Only a
     * leader that took the VIP or is about to is fenced so; one awaiting clearance holds nothing yet.
     */
    private boolean isPastOwnKeyProof(long now) {
        return term != null && term.leads() && term.holder != LeaseTerm.HolderStep.AWAITING_CLEARANCE
                && phase == Phase.RUNNING && (!term.ownKeyShown || now - ownKeyProofEnds() >= 0);
    }

    private long ownKeyProofEnds() {
        return term.ownKeyShownAt + ownKeyProofWindow().toNanos();
    }

    private Duration ownKeyProofWindow() {
        return timing.ownKeyProofWindow(Duration.ofSeconds(term.ttlSeconds));
    }

    /** Until when a leader may hold the VIP: the earlier of its lease's and its key's proof. */
    private long holdDeadline() {
        return term.ownKeyShown && ownKeyProofEnds() - term.deadline < 0 ? ownKeyProofEnds() : term.deadline;
    }

    private void because(Cause newCause, String why) {
        cause = newCause;
        reason = why;
    }

    /** etcd accepted a request that needs the credentials and permissions: any earlier refusal is over. */
    private void etcdAccepted() {
        electionReadOnce = true;
        refusal = Optional.empty();
    }

    /** A request about this lease failed: the lease is gone, etcd refuses govip, or the request is tried again. */
    private void requestFailed(long lease, EtcdFailure failure, String request, Runnable retry) {
        lastFailure = Optional.of(failure);
        if (failure.kind() == EtcdFailure.Kind.LEASE_NOT_FOUND) {
            leaseLost(lease, "lease " + Long.toHexString(lease) + " is gone (etcd answered " + request + ")");
            return;
        }
        if (failure.kind().isConfigurationError() && refused(failure, request)) {
            return;
        }
        retryLater(retry);
    }

    /**
     * etcd refused govip's credentials or permissions. Before etcd ever answered a read of the election this is a
     * configuration error that ends the process; later (a role or password changed under a running govip) it is
     * reported (readiness, status) and retried, because stopping would not bring the permission back.
     *
     * @return true when the process stops
     */
    private boolean refused(EtcdFailure failure, String what) {
        if (!electionReadOnce) {
            stop(StopReason.ETCD_AUTH_FAILED, "etcd refused " + what + ": " + failure.description());
            return true;
        }
        refusal = Optional.of(failure);
        return false;
    }

    /**
     * Marks this lease's current key as one being given up (resigned or withdrawn): until its deletion shows, a
     * read can still list it first, and leading on it again would put the VIP back while the successor takes over.
     */
    private void abandonKey() {
        if (term.leads()) {
            term.abandonedKeyRevision = term.self.createRevision();
            return;
        }
        term.queue.own(term.leaseId).ifPresent(own -> term.abandonedKeyRevision = own.createRevision());
    }

    private void lead(Candidate key) {
        term.self = key;
        term.ownKeyShown = false;
        fast.ifPresent(rules -> rules.leading(key));
        term.leadingSince = clock.getAsLong();
        term.holder = LeaseTerm.HolderStep.AWAITING_CLEARANCE;
        electionChanged();
        long lease = term.leaseId;
        followUps.add(() -> etcd.readElection(lease));
    }

    private void stopLeading() {
        term.self = null;
        fast.ifPresent(FastFailover::notLeading);
        term.holder = LeaseTerm.HolderStep.NONE;
        handover.forget();
    }

    private void stepDown(String why) {
        stopLeading();
        because(Cause.STEPPED_DOWN, why + ": stepping down");
        startCampaign();
    }

    /**
     * Answers about the election overtake each other: a read sent before a win can arrive after it, and would undo
     * a newer truth. Reads sent before the last change are therefore ignored.
     */
    private void electionChanged() {
        term.electionChangedAt = clock.getAsLong();
    }

    private void startCampaign() {
        startCampaign(false);
    }

    /** Joins the election, unless the interface is unusable or, without {@code standIn}, the checks fail. */
    private void startCampaign(boolean standIn) {
        electionChanged();
        if (!interfaceUsable || !(standIn || service.healthy())) {
            return;
        }
        term.campaign++;
        term.campaigning = true;
        long lease = term.leaseId;
        long number = term.campaign;
        followUps.add(() -> etcd.campaign(lease, number));
    }

    private void dropLease(String why) {
        because(Cause.LEASE_LOST, why);
        handover.forget();
        term = null;
        followUps.add(etcd::stopKeepAlives);
    }

    private void retryLater(Runnable attempt) {
        Duration delay = retryDelay;
        retryDelay = retryDelay.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : retryDelay.multipliedBy(2);
        followUps.add(() -> delays.after(delay, attempt));
    }

    /** Removes the VIP (by the role change), then releases the holder record, resigns and revokes. */
    private void stop(StopReason stopReason, String why) {
        if (phase == Phase.STOPPING || phase == Phase.STOPPED) {
            return;
        }
        stop = new Stop(stopReason, why);
        because(stopReason == StopReason.REQUESTED ? Cause.STOP : Cause.FATAL, why);
        phase = Phase.STOPPING;
        Candidate leader = term == null ? null : term.self;
        long lease = term == null ? 0 : term.leaseId;
        if (term != null) {
            stopLeading();
        }
        Runnable finished = () -> phase = Phase.STOPPED;
        Runnable revoke = lease == 0 ? finished : () -> etcd.revoke(lease, finished);
        afterRelease = Optional.of(leader == null ? revoke : () -> etcd.resign(leader, revoke));
    }
}
