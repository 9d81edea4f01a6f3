package io.govip.lab;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import io.govip.cli.DurationConverter;
import io.govip.config.TrackSettings;
import io.govip.testing.CommandResult;
import io.govip.testing.EtcdMember;
import io.govip.testing.GovipLab;
import io.govip.testing.GovipProcess;
import io.govip.testing.Lab;
import io.govip.testing.LabHost;
import io.govip.testing.Timeline;
import io.govip.testing.UdpPortCut;
import io.govip.testing.VipProbe;

/**
 * Injects the benchmark's failures into one three-node lab, one repetition at a time, and puts the lab back in
 * shape after each: every govip running and ready, every etcd member up and reachable, one holder. When putting it
 * back fails, the lab is thrown away and the next repetition starts on a new one.
 */
final class ScenarioRunner implements LabRepetitions {

    static final String VIP = Lab.ipv4Vip(0) + "/32";
    private static final Duration BASELINE = Duration.ofMillis(500);
    private static final Duration TAIL = Duration.ofMillis(500);
    private static final Duration QUIET_AFTER_REJOIN = Duration.ofSeconds(1);
    private static final Duration MAX_OBSERVATION = Duration.ofSeconds(120);
    private static final Duration REJOIN = Duration.ofSeconds(30);

    private static final Duration HEARTBEAT_CUT_HOLD = Duration.ofSeconds(4);
    private static final Duration THAWED_WATCH = Duration.ofSeconds(2);

    static final Duration PREEMPT_DELAY = Duration.ofSeconds(3);
    /**
     * What every govip of a lab that tracks the service runs with: a check of its own node's monitor URI, and a
     * preempt delay shorter than the 30 s default (the leader's delay is the one that counts) to keep runs short.
     */
    private static final List<String> TRACKING = List.of("--track-http", GovipLab.MONITOR_URL, "--preempt-delay",
            PREEMPT_DELAY.toMillis() + "ms");
    /** Long enough for a handover, and for a move that should not happen to show. */
    private static final Duration SERVICE_WATCH = Duration.ofSeconds(3);
    private static final Duration SERVICE_EVENT = Duration.ofSeconds(20);
    private static final Duration FLAP_FOR = Duration.ofSeconds(60);
    private static final Duration FLAP_EVERY = Duration.ofMillis(300);
    /** How much sooner than the hold-down two moves may follow each other: sampling and the takeover's own time. */
    private static final Duration MOVE_SPACING_SLACK = Duration.ofMillis(250);
    private static final int PREFERRED_PRIORITY = 10;

    private final int leaseTtlSeconds;
    private final boolean etcdPreVote;
    private final List<String> govipArgs;
    private final int peerPort;
    private final Consumer<String> log;
    private final List<Double> startToReadyMillis = new ArrayList<>();
    private GovipLab lab;
    private LabActions actions;
    private boolean labTracksService;
    private int labsCreated;

    /**
     * @param govipArgs options added to every govip's command line
     * @param peerPort  the UDP port of fast failover's heartbeats, for the heartbeat-only cut
     */
    ScenarioRunner(int leaseTtlSeconds, boolean etcdPreVote, List<String> govipArgs, int peerPort,
            Consumer<String> log) {
        this.leaseTtlSeconds = leaseTtlSeconds;
        this.etcdPreVote = etcdPreVote;
        this.govipArgs = List.copyOf(govipArgs);
        this.peerPort = peerPort;
        this.log = log;
    }

    /** Builds the lab (if there is none) and waits for a holder and three ready candidates. */
    void open() {
        open(labTracksService);
    }

    /**
     * The same, with govips that track the service behind the VIP or not; a lab of the other kind is thrown away
     * first.
     */
    void open(boolean tracksService) {
        if (lab != null && labTracksService != tracksService) {
            discardLab();
        }
        if (lab != null) {
            return;
        }
        labsCreated++;
        labTracksService = tracksService;
        List<String> extraArgs = new ArrayList<>(govipArgs);
        if (leaseTtlSeconds != LabOptions.DEFAULT_LEASE_TTL) {
            extraArgs.addAll(List.of("--lease-ttl", leaseTtlSeconds + "s"));
        }
        if (tracksService) {
            extraArgs.addAll(TRACKING);
        }
        lab = GovipLab.create(VIP, etcdPreVote, extraArgs.toArray(String[]::new));
        actions = new LabActions(lab, leaseTtlSeconds);
        try {
            lab.startAll();
            lab.awaitSingleHolder(LabActions.STARTUP);
            lab.awaitStandbysReady();
            awaitAllReady();
        } catch (RuntimeException | Error e) {
            discardLab();
            throw e;
        }
    }

    GovipLab lab() {
        return lab;
    }

    LabActions actions() {
        return actions;
    }

    int labsCreated() {
        return labsCreated;
    }

    /** Every govip start (after a kill or a stop) until /q/health/ready said 200, in ms. */
    List<Double> startToReadyMillis() {
        return List.copyOf(startToReadyMillis);
    }

    @Override
    public Repetition run(Scenario scenario, int number) {
        open(scenario.tracksService());
        return switch (scenario) {
            case SIGKILL -> measure(scenario, number, this::sigkill);
            case SIGKILL_RESTART -> measure(scenario, number, this::sigkillAndRestart);
            case NODE_LOSS_ETCD_LEADER -> measureNodeLoss(scenario, number, true);
            case NODE_LOSS_ETCD_FOLLOWER -> measureNodeLoss(scenario, number, false);
            case SIGTERM -> measure(scenario, number, this::sigterm);
            case HANDOVER -> measure(scenario, number, this::handover);
            case COORDINATION_CUT -> measure(scenario, number, this::coordinationCut);
            case ETCD_LEADER_KILL -> measure(scenario, number, this::etcdLeaderKill);
            case ETCD_ROLLING_RESTART -> measure(scenario, number, this::rollingRestart);
            case ETCD_DOWN_AND_BACK -> measure(scenario, number, this::etcdDownAndBack);
            case HEARTBEAT_CUT -> measure(scenario, number, this::heartbeatCut);
            case ONE_WAY_LOSS -> measure(scenario, number, this::oneWayLoss);
            case CANDIDATE_LOSS_ETCD_LEADER -> measure(scenario, number, new Plan(this::arrangeCandidateLoss,
                    this::candidateLoss));
            case SIGSTOP -> measure(scenario, number, this::sigstop);
            case SERVICE_KILLED -> measure(scenario, number, new Plan(this::awaitHoldDownOver, this::serviceKilled));
            case SERVICE_DEAD_EVERYWHERE -> measure(scenario, number, new Plan(this::awaitHoldDownOver,
                    this::serviceDeadEverywhere));
            case CHECK_FLAP -> measure(scenario, number, new Plan(this::awaitHoldDownOver, this::checkFlap));
            case PRIORITY_JOIN -> measure(scenario, number, new Plan(this::arrangePriorityJoin, this::priorityJoin,
                    this::endPriorityJoin));
        };
    }

    /** One repetition in progress: the holder, the observation, what the action reports. */
    final class Step {
        final String holder;
        final int holderNode;
        final Map<String, Object> extra = new LinkedHashMap<>();
        final Set<Integer> stoppedOnPurpose = new HashSet<>();
        /** The node a scenario fails other than the holder's (0: none). */
        int otherNode;
        Observation observation;
        long recoveryMark = -1;

        Step(String holder) {
            this.holder = holder;
            this.holderNode = GovipLab.number(holder);
        }

        void event() {
            observation.markEvent();
        }

        LabHost holderHost() {
            return lab.lab().node(holderNode);
        }

        EtcdMember holderMember() {
            return lab.etcd().member(holderNode);
        }

        double millisSinceEvent() {
            return Segment.millis(observation.sinceEvent());
        }
    }

    @FunctionalInterface
    interface Preparation {
        void prepare(Step step) throws Exception;
    }

    @FunctionalInterface
    interface Action {
        void run(Step step) throws Exception;
    }

    /**
     * @param cleanup what to undo once the observation is over, before the lab is put back in shape
     */
    record Plan(Preparation preparation, Action action, Action cleanup) {

        Plan(Preparation preparation, Action action) {
            this(preparation, action, step -> { });
        }
    }

    private Repetition measure(Scenario scenario, int number, Action action) {
        return measure(scenario, number, new Plan(step -> { }, action));
    }

    private Repetition measure(Scenario scenario, int number, Plan plan) {
        String holder = lab.awaitSingleHolder(LabActions.STARTUP);
        Step step = new Step(holder);
        List<String> errors = new ArrayList<>();
        Observation.Seen seen = null;
        try {
            plan.preparation().prepare(step);
            step.observation = Observation.start(lab, MAX_OBSERVATION);
            try {
                GovipLab.pause(BASELINE);
                plan.action().run(step);
                GovipLab.pause(TAIL);
            } catch (Exception | AssertionError e) {
                errors.add(message(e));
            } finally {
                try {
                    seen = step.observation.stop();
                } finally {
                    step.observation.close();
                }
            }
        } catch (Exception | AssertionError e) {
            errors.add(message(e));
        }
        List<String> exits = actions.unexpectedExits(step.stoppedOnPurpose);
        if (!exits.isEmpty()) {
            errors.add("govip exited unexpectedly on " + String.join(", ", exits));
        }
        try {
            plan.cleanup().run(step);
        } catch (Exception | AssertionError e) {
            errors.add("undoing the scenario failed: " + message(e));
        }
        try {
            restore(step.extra);
        } catch (Exception | AssertionError e) {
            errors.add("putting the lab back in shape failed, starting a new one: " + message(e));
            discardLab();
        }
        return repetition(scenario, number, step, seen, errors);
    }

    private Repetition repetition(Scenario scenario, int number, Step step, Observation.Seen seen,
            List<String> errors) {
        if (seen == null) {
            return Repetition.unobserved(scenario, number, step.holder, errors);
        }
        if (step.recoveryMark >= 0) {
            firstAnswerAfter(seen.answers(), step.observation.at(step.recoveryMark)).ifPresent(
                    after -> step.extra.put("clientAnswerAfterEtcdStartMs", Segment.millis(after)));
        }
        if (scenario.movesRepeatedly()) {
            List<Duration> moves = HolderHistory.moves(seen.holders(), seen.event());
            step.extra.put("movesAtMs", moves.stream().map(Segment::millis).toList());
            step.extra.put("holdDownMs", Segment.millis(holdDown()));
            HolderHistory.shortestSpacing(moves).ifPresent(spacing -> {
                step.extra.put("shortestMoveSpacingMs", Segment.millis(spacing));
                if (spacing.compareTo(holdDown().minus(MOVE_SPACING_SLACK)) < 0) {
                    errors.add("the VIP moved twice within " + Segment.millis(spacing) + " ms, less than the "
                            + "hold-down of " + holdDown().toMillis() + " ms");
                }
            });
        }
        return Repetition.observed(scenario, number, step.holder, seen, step.extra, errors,
                LabOptions.fastFailover(govipArgs));
    }

    /** How long after {@code from} the first probe was answered. */
    static Optional<Duration> firstAnswerAfter(Timeline<String> answers, Duration from) {
        return answers.samples().stream()
                .filter(sample -> sample.at().compareTo(from) >= 0 && !sample.value().equals(VipProbe.NO_ANSWER))
                .findFirst().map(sample -> sample.at().minus(from));
    }

    // ---- the scenarios -------------------------------------------------------------------------------------

    private void sigkill(Step step) {
        step.event();
        lab.govip(step.holderNode).kill();
        step.stoppedOnPurpose.add(step.holderNode);
        awaitTakeover(step);
        GovipLab.pause(TAIL);
        restartOnPurpose(step);
    }

    /** As a supervisor restarts a crashed govip: the same member on the same node, started the moment it died. */
    private void sigkillAndRestart(Step step) {
        step.event();
        lab.govip(step.holderNode).kill();
        step.stoppedOnPurpose.add(step.holderNode);
        GovipProcess restarted = lab.startGovip(step.holderNode);
        awaitTakeover(step);
        step.extra.put("predecessorLeaseEnded", restarted.awaitLog(
                "of a crashed predecessor \\(pid \\d+\\) released and revoked", Duration.ofSeconds(10)));
        step.stoppedOnPurpose.remove(step.holderNode);
        GovipLab.pause(QUIET_AFTER_REJOIN);
    }

    private void sigterm(Step step) throws Exception {
        GovipProcess govip = lab.govip(step.holderNode);
        step.stoppedOnPurpose.add(step.holderNode);
        step.event();
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        Thread.ofPlatform().name("sigterm-" + step.holder).start(() -> {
            try {
                exit.complete(govip.stop(Duration.ofSeconds(15)));
            } catch (Throwable e) {
                exit.completeExceptionally(e);
            }
        });
        awaitTakeover(step);
        int code = exit.get(20, TimeUnit.SECONDS);
        step.extra.put("exitCode", code);
        if (code != 0) {
            throw new AssertionError("govip on " + step.holder + " exited with " + code + " after SIGTERM");
        }
        GovipLab.pause(TAIL);
        restartOnPurpose(step);
    }

    private void handover(Step step) {
        step.event();
        CommandResult result = actions.handover();
        if (result.exitCode() != 0) {
            throw new AssertionError("govip handover exited with " + result.exitCode() + ": "
                    + result.stderr().strip() + " " + result.stdout().strip());
        }
        HandoverReport report = HandoverReport.parse(result.stdout()).orElseThrow(
                () -> new AssertionError("govip handover printed no report: " + result.stdout()));
        step.extra.put("govipReport", report.line());
        step.extra.put("govipHandoverMs", report.totalMillis());
        step.extra.put("govipVipAbsentMs", report.vipAbsentMillis());
        awaitTakeover(step);
    }

    /** The holder's cable is pulled: data path and etcd gone at once, everything on the node still running. */
    private Repetition measureNodeLoss(Scenario scenario, int number, boolean etcdLeaderOnHolderNode) {
        return measure(scenario, number, new Plan(step -> arrangeEtcdLeader(step, etcdLeaderOnHolderNode),
                step -> {
                    step.event();
                    lab.lab().unplug(step.holderHost());
                    awaitTakeover(step);
                    GovipLab.pause(TAIL);
                    lab.lab().replug(step.holderHost());
                    awaitRejoin(step, step.holderNode);
                }));
    }

    /**
     * Puts etcd's raft leader on the holder's node, or off it, with "etcdctl move-leader" (the VIP stays where it
     * is), and lets the keep-alives settle before the failure.
     */
    private void arrangeEtcdLeader(Step step, boolean onHolderNode) {
        EtcdMember target = onHolderNode ? step.holderMember()
                : lab.etcd().member(step.holderNode % GovipLab.NODES + 1);
        EtcdMember current = lab.etcd().waitForLeader(Duration.ofSeconds(20));
        boolean alreadyRight = (current == step.holderMember()) == onHolderNode;
        if (!alreadyRight) {
            actions.moveEtcdLeader(target);
            GovipLab.pause(Duration.ofSeconds(1));
        }
        EtcdMember leader = lab.etcd().waitForLeader(Duration.ofSeconds(20));
        if ((leader == step.holderMember()) != onHolderNode) {
            throw new AssertionError("etcd leadership moved again by itself, to " + leader);
        }
        step.extra.put("etcdLeader", leader.name());
        step.extra.put("etcdLeaderArrangedBy", alreadyRight ? "already there" : "etcdctl move-leader");
        lab.awaitSingleHolder(LabActions.STARTUP);
        if (!lab.holders().contains(step.holder)) {
            throw new AssertionError("the VIP moved while etcd leadership was arranged");
        }
    }

    private void coordinationCut(Step step) {
        step.extra.put("etcdLeaderOnHolderNode", lab.etcd().leader().map(l -> l == step.holderMember()).orElse(null));
        step.event();
        step.holderMember().cut();
        awaitTakeover(step);
        GovipLab.pause(TAIL);
        step.holderMember().heal();
        awaitRejoin(step, step.holderNode);
    }

    private void etcdLeaderKill(Step step) {
        EtcdMember leader = lab.etcd().waitForLeader(Duration.ofSeconds(20));
        step.extra.put("killedMember", leader.name());
        step.extra.put("onHolderNode", leader == step.holderMember());
        step.event();
        leader.kill();
        EtcdMember next = lab.etcd().waitForLeader(Duration.ofSeconds(20));
        step.extra.put("newEtcdLeaderMs", step.millisSinceEvent());
        step.extra.put("newEtcdLeader", next.name());
        leader.start();
        step.extra.put("restartedHealthyMs", step.millisSinceEvent());
        waitUntilSinceEvent(step, actions.ttl().plusSeconds(1));
    }

    private void rollingRestart(Step step) {
        step.event();
        List<String> order = new ArrayList<>();
        for (EtcdMember member : lab.etcd().members()) {
            member.stop();
            member.start();
            lab.etcd().waitForLeader(Duration.ofSeconds(20));
            order.add(member.name());
        }
        step.extra.put("restarted", order);
        step.extra.put("rollingRestartMs", step.millisSinceEvent());
        GovipLab.pause(actions.ttl());
    }

    /** Every etcd member SIGKILLed at once (as in a power cut of the etcd hosts), then all started again. */
    private void etcdDownAndBack(Step step) {
        List<Long> pids = lab.govipPids();
        step.event();
        lab.etcd().members().forEach(EtcdMember::kill);
        step.extra.put("etcdStoppedMs", step.millisSinceEvent());
        Duration fenceBound = actions.ttl().plusSeconds(3);
        while (!lab.holders().isEmpty()) {
            if (step.observation.sinceEvent().compareTo(fenceBound) > 0) {
                throw new AssertionError(lab.holders() + " still held the VIP " + fenceBound
                        + " after etcd went down");
            }
            GovipLab.pause(Duration.ofMillis(10));
        }
        step.extra.put("nobodyHoldsMs", step.millisSinceEvent());
        GovipLab.pause(Duration.ofSeconds(1));
        step.recoveryMark = System.nanoTime();
        step.extra.put("etcdStartedMs", step.millisSinceEvent());
        lab.etcd().startStopped();
        step.extra.put("etcdHealthyAgainMs", step.millisSinceEvent());
        String holder = lab.awaitSingleHolder(LabActions.STARTUP);
        actions.awaitAnswer(step.observation, holder, Duration.ofSeconds(10));
        if (!lab.govipPids().equals(pids)) {
            throw new AssertionError("a govip restarted while etcd was down: pids " + pids + " -> "
                    + lab.govipPids());
        }
    }

    /** Fast failover's heartbeats between the holder and the others are dropped; etcd still answers everyone. */
    private void heartbeatCut(Step step) {
        UdpPortCut cut = new UdpPortCut(step.holderHost().namespace(), step.holderHost().interfaceName(), peerPort);
        step.extra.put("peerPort", peerPort);
        step.event();
        cut.cut();
        try {
            waitUntilSinceEvent(step, HEARTBEAT_CUT_HOLD);
        } finally {
            cut.heal();
        }
        step.extra.put("healedMs", step.millisSinceEvent());
        String holder = lab.awaitSingleHolder(LabActions.STARTUP);
        step.extra.put("newHolder", holder);
        actions.awaitAnswer(step.observation, holder, Duration.ofSeconds(10));
    }

    /** Everything the holder sends is lost in the switch; what is sent to it still arrives. */
    private void oneWayLoss(Step step) {
        step.event();
        lab.lab().muteOutbound(step.holderHost());
        try {
            awaitTakeover(step);
            GovipLab.pause(TAIL);
        } finally {
            lab.lab().unmute(step.holderHost());
        }
        awaitRejoin(step, step.holderNode);
    }

    /** The next candidate's node will host etcd's raft leader when its cable is pulled. */
    private void arrangeCandidateLoss(Step step) {
        String candidate = actions.nextCandidate(step.holder);
        step.otherNode = GovipLab.number(candidate);
        step.extra.put("lostCandidate", candidate);
        EtcdMember target = lab.etcd().member(step.otherNode);
        if (lab.etcd().waitForLeader(Duration.ofSeconds(20)) != target) {
            actions.moveEtcdLeader(target);
            GovipLab.pause(Duration.ofSeconds(1));
        }
        EtcdMember leader = lab.etcd().waitForLeader(Duration.ofSeconds(20));
        if (leader != target) {
            throw new AssertionError("etcd leadership moved again by itself, to " + leader);
        }
        step.extra.put("etcdLeader", leader.name());
        lab.awaitSingleHolder(LabActions.STARTUP);
        if (!lab.holders().contains(step.holder)) {
            throw new AssertionError("the VIP moved while etcd leadership was arranged");
        }
    }

    private void candidateLoss(Step step) {
        LabHost candidate = lab.lab().node(step.otherNode);
        step.event();
        lab.lab().unplug(candidate);
        try {
            lab.etcd().waitForLeader(Duration.ofSeconds(20));
            step.extra.put("newEtcdLeaderMs", step.millisSinceEvent());
            waitUntilSinceEvent(step, actions.ttl().plusSeconds(2));
        } finally {
            lab.lab().replug(candidate);
        }
        awaitRejoin(step, step.otherNode);
    }

    /** The holder's govip is frozen past its lease, then thawed: it must find itself deposed, and stay so. */
    private void sigstop(Step step) {
        GovipProcess govip = lab.govip(step.holderNode);
        step.event();
        govip.freeze();
        try {
            awaitTakeover(step);
            waitUntilSinceEvent(step, actions.ttl().plusSeconds(3));
        } finally {
            govip.thaw();
        }
        step.extra.put("thawedMs", step.millisSinceEvent());
        GovipLab.pause(THAWED_WATCH);
        Set<String> holders = lab.holders();
        if (!holders.equals(Set.of((String) step.extra.get("newHolder")))) {
            throw new AssertionError("after the thaw the VIP was on " + holders + ", not only on "
                    + step.extra.get("newHolder"));
        }
        awaitRejoin(step, step.holderNode);
    }

    /**
     * A holder that came less than the hold-down ago keeps the VIP for the rest of it whatever its checks say (the
     * previous repetition may have just moved it): that wait is not what the scenario measures, so it is waited out.
     */
    private void awaitHoldDownOver(Step step) {
        Optional<LocalDateTime> since = ProcFiles.lastBecameLeader(lab.govip(step.holderNode).log());
        Duration held = since.map(time -> Duration.between(time, LocalDateTime.now())).orElse(Duration.ZERO);
        Duration left = holdDown().plus(TAIL).minus(held);
        if (left.isPositive()) {
            step.extra.put("waitedOutHoldDownMs", Segment.millis(left));
            GovipLab.pause(left);
        }
    }

    /**
     * The holder's service dies: its checks fail and it hands over. Then the service comes back and the old holder
     * stands again, which must not move the VIP (equal priorities).
     */
    private void serviceKilled(Step step) {
        GovipProcess holder = lab.govip(step.holderNode);
        int logFrom = holder.log().length();
        step.event();
        lab.killService(step.holderNode);
        awaitTakeover(step);
        GovipLab.pause(TAIL);
        lab.startService(step.holderNode);
        step.extra.put("serviceBackMs", step.millisSinceEvent());
        awaitLogSince(holder, logFrom, "passes again");
        lab.awaitStandbysReady();
        step.extra.put("standingAgainMs", step.millisSinceEvent());
        GovipLab.pause(SERVICE_WATCH);
        Set<String> holders = lab.holders();
        boolean stayed = holders.equals(Set.of((String) step.extra.get("newHolder")));
        step.extra.put("stayedWhenBack", stayed);
        if (!stayed) {
            throw new AssertionError("the VIP moved to " + holders + " when " + step.holder
                    + "'s service came back");
        }
    }

    /**
     * Every node's service dies at once: the holder keeps the VIP and says so once, in its log and its metric; then
     * the services come back.
     */
    private void serviceDeadEverywhere(Step step) {
        GovipProcess holder = lab.govip(step.holderNode);
        int logFrom = holder.log().length();
        step.event();
        for (int node = 1; node <= GovipLab.NODES; node++) {
            lab.killService(node);
        }
        awaitLogSince(holder, logFrom, "service checks: keeping the VIP");
        step.extra.put("saidSoMs", step.millisSinceEvent());
        GovipLab.pause(SERVICE_WATCH);
        OptionalDouble metric = actions.metric(step.holderNode, "govip_vip_held_while_failing");
        long lines = holder.log().substring(logFrom).lines()
                .filter(line -> line.contains("service checks: keeping the VIP")).count();
        step.extra.put("heldWhileFailingMetric", metric.isPresent() ? metric.getAsDouble() : null);
        step.extra.put("keepingLogLines", lines);
        if (lines != 1 || metric.orElse(0) != 1) {
            throw new AssertionError("the holder said it kept the VIP in " + lines + " log lines (1 expected), "
                    + "govip_vip_held_while_failing " + (metric.isPresent() ? metric.getAsDouble() : "missing")
                    + " (1 expected)");
        }
        for (int node = 1; node <= GovipLab.NODES; node++) {
            lab.startService(node);
        }
        awaitLogSince(holder, logFrom, "service checks pass again");
        lab.awaitStandbysReady();
        step.extra.put("standingAgainMs", step.millisSinceEvent());
        GovipLab.pause(QUIET_AFTER_REJOIN);
    }

    /**
     * The holder's check flaps (the monitor URI answers 503 and 200 in turn) for a minute; the flapping follows the
     * VIP, so every holder's check flaps in turn. The moves are counted from the samples afterwards.
     */
    private void checkFlap(Step step) {
        step.event();
        long start = System.nanoTime();
        long ticks = FLAP_FOR.toNanos() / FLAP_EVERY.toNanos();
        try {
            for (long tick = 0; tick < ticks; tick++) {
                boolean failing = tick % 2 == 0;
                Set<String> holders = lab.holders();
                for (int node = 1; node <= GovipLab.NODES; node++) {
                    lab.serviceFailing(node, failing && holders.equals(Set.of("node" + node)));
                }
                long next = start + (tick + 1) * FLAP_EVERY.toNanos();
                long left = next - System.nanoTime();
                if (left > 0) {
                    GovipLab.pause(Duration.ofNanos(left));
                }
            }
        } finally {
            for (int node = 1; node <= GovipLab.NODES; node++) {
                lab.serviceFailing(node, false);
            }
        }
        step.extra.put("flapEndedMs", step.millisSinceEvent());
        lab.awaitStandbysReady();
        GovipLab.pause(QUIET_AFTER_REJOIN);
    }

    /** A candidate other than the holder is stopped, to come back with a higher priority. */
    private void arrangePriorityJoin(Step step) {
        String candidate = actions.nextCandidate(step.holder);
        step.otherNode = GovipLab.number(candidate);
        step.extra.put("preferredMember", candidate);
        step.stoppedOnPurpose.add(step.otherNode);
        int code = lab.govip(step.otherNode).stop(Duration.ofSeconds(15));
        if (code != 0) {
            throw new AssertionError("govip on " + candidate + " exited with " + code + " after SIGTERM");
        }
        lab.awaitStandbysReady();
        if (!lab.holders().equals(Set.of(step.holder))) {
            throw new AssertionError("the VIP moved when a candidate stopped: " + lab.holders());
        }
    }

    private void priorityJoin(Step step) {
        String preferred = "node" + step.otherNode;
        GovipProcess holder = lab.govip(step.holderNode);
        step.event();
        lab.startGovip(step.otherNode, "--priority", Integer.toString(PREFERRED_PRIORITY));
        step.stoppedOnPurpose.remove(step.otherNode);
        awaitTakeover(step);
        if (!preferred.equals(step.extra.get("newHolder"))) {
            throw new AssertionError("the VIP went to " + step.extra.get("newHolder") + ", not to the preferred "
                    + preferred);
        }
        boolean madeWay = holder.log().contains("making way for " + preferred + " (priority " + PREFERRED_PRIORITY);
        step.extra.put("madeWayByHandover", madeWay);
        if (!madeWay) {
            throw new AssertionError(step.holder + " did not log that it made way for " + preferred);
        }
        GovipLab.pause(TAIL);
    }

    /** The preferred member goes again (its SIGTERM hands the VIP on), to be started with the lab's defaults. */
    private void endPriorityJoin(Step step) {
        if (step.otherNode == 0) {
            return;
        }
        GovipProcess preferred = lab.govip(step.otherNode);
        step.stoppedOnPurpose.add(step.otherNode);
        if (preferred.isAlive()) {
            preferred.stop(Duration.ofSeconds(15));
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    /** Waits (bounded) until the govip's log, from {@code from} on, has a line containing {@code text}. */
    private static void awaitLogSince(GovipProcess govip, int from, String text) {
        long deadline = System.nanoTime() + SERVICE_EVENT.toNanos();
        while (!govip.log().substring(from).contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(govip + " did not log \"" + text + "\" within " + SERVICE_EVENT);
            }
            GovipLab.pause(Duration.ofMillis(50));
        }
    }

    /** The hold-down the lab's govips run with: the default, or what --govip-args set. */
    private Duration holdDown() {
        int at = govipArgs.indexOf("--track-hold-down");
        return at >= 0 && at + 1 < govipArgs.size() ? new DurationConverter().convert(govipArgs.get(at + 1))
                : TrackSettings.NONE.holdDown();
    }

    private void awaitTakeover(Step step) {
        String next = lab.awaitNewHolder(step.holder, actions.takeoverBound());
        step.extra.put("newHolder", next);
        actions.awaitAnswer(step.observation, next, Duration.ofSeconds(10));
    }

    private void restartOnPurpose(Step step) {
        Duration ready = actions.startAndAwaitReady(step.holderNode);
        startToReadyMillis.add(Segment.millis(ready));
        step.extra.put("restartToReadyMs", Segment.millis(ready));
        step.stoppedOnPurpose.remove(step.holderNode);
        GovipLab.pause(QUIET_AFTER_REJOIN);
    }

    /**
     * After a cut healed (or a freeze ended): the node's etcd member catches up and its govip, still running, is
     * ready again.
     */
    private void awaitRejoin(Step step, int node) {
        long healedAt = System.nanoTime();
        lab.etcd().member(node).server().awaitHealthy(REJOIN);
        long deadline = healedAt + REJOIN.toNanos();
        while (!actions.isReady(node)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("govip on node" + node + " was not ready " + REJOIN
                        + " after its node came back");
            }
            GovipLab.pause(Duration.ofMillis(20));
        }
        step.extra.put("rejoinedReadyMs", Segment.millis(Duration.ofNanos(System.nanoTime() - healedAt)));
        GovipLab.pause(QUIET_AFTER_REJOIN);
    }

    private static void waitUntilSinceEvent(Step step, Duration duration) {
        Duration left = duration.minus(step.observation.sinceEvent());
        if (left.isPositive()) {
            GovipLab.pause(left);
        }
    }

    /**
     * Whatever the last repetition left behind is undone: cables back in, cuts healed, stopped etcd members started,
     * dead govips started again (each start timed until ready); then one holder and three ready candidates.
     */
    private void restore(Map<String, Object> extra) {
        if (lab == null) {
            return;
        }
        for (LabHost node : lab.lab().nodes()) {
            lab.lab().replug(node);
            lab.lab().unmute(node);
        }
        for (int node = 1; node <= GovipLab.NODES; node++) {
            lab.serviceFailing(node, false);
            if (!lab.serviceRuns(node)) {
                lab.startService(node);
            }
        }
        lab.etcd().members().forEach(EtcdMember::heal);
        if (lab.etcd().members().stream().anyMatch(member -> !member.isRunning())) {
            lab.etcd().startStopped();
        }
        for (EtcdMember member : lab.etcd().members()) {
            member.server().awaitHealthy(REJOIN);
        }
        for (int node = 1; node <= GovipLab.NODES; node++) {
            if (!lab.govip(node).isAlive()) {
                Duration ready = actions.startAndAwaitReady(node);
                startToReadyMillis.add(Segment.millis(ready));
                extra.put("restoredNode" + node + "ReadyMs", Segment.millis(ready));
            }
        }
        lab.awaitSingleHolder(LabActions.STARTUP);
        lab.awaitStandbysReady();
        awaitAllReady();
    }

    private void awaitAllReady() {
        long deadline = System.nanoTime() + REJOIN.toNanos();
        for (int node = 1; node <= GovipLab.NODES; node++) {
            while (!actions.isReady(node)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("govip on node" + node + " not ready\n" + LabActions.tail(
                            lab.govip(node).log()));
                }
                GovipLab.pause(Duration.ofMillis(50));
            }
        }
    }

    private void discardLab() {
        if (lab != null) {
            try {
                lab.close();
            } catch (RuntimeException e) {
                log.accept("closing the lab failed: " + e.getMessage());
            }
            lab = null;
            actions = null;
        }
    }

    static String message(Throwable e) {
        String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof ExecutionException || e instanceof TimeoutException) {
            text = e.getClass().getSimpleName() + ": " + text;
        }
        String first = text.lines().findFirst().orElse(text);
        return first.length() > 300 ? first.substring(0, 300) + "..." : first;
    }

    @Override
    public void close() {
        discardLab();
    }
}
