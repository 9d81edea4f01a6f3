package io.govip.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

import io.govip.testing.GovipLab;
import io.govip.testing.LabHost;

/**
 * Injects the benchmark's failures into a {@link KeepalivedLab}, one repetition at a time, with the same client,
 * samplers, timings and bounds as {@link ScenarioRunner} does for govip, so that the figures compare. Only the
 * failures that mean something to keepalived are run; a split brain is data here, not a failure.
 */
final class ReferenceRunner implements LabRepetitions {

    private static final Duration BASELINE = Duration.ofMillis(500);
    private static final Duration TAIL = Duration.ofMillis(500);
    private static final Duration SETTLE = Duration.ofSeconds(2);
    private static final Duration MAX_OBSERVATION = Duration.ofSeconds(60);
    private static final Duration TAKEOVER = Duration.ofSeconds(15);
    private static final Duration CUT_HOLD = Duration.ofSeconds(4);
    private static final Duration FROZEN = Duration.ofSeconds(8);
    private static final Duration STARTUP = Duration.ofSeconds(30);

    /** The govip scenarios measured on keepalived, and the one each is measured as (etcd plays no part there). */
    private static final Map<Scenario, Scenario> COUNTERPART = counterparts();

    private final KeepalivedVariant variant;
    private final Consumer<String> log;
    private KeepalivedLab lab;

    ReferenceRunner(KeepalivedVariant variant, Consumer<String> log) {
        this.variant = variant;
        this.log = log;
    }

    private static Map<Scenario, Scenario> counterparts() {
        Map<Scenario, Scenario> map = new LinkedHashMap<>();
        map.put(Scenario.SIGKILL, Scenario.SIGKILL);
        map.put(Scenario.SIGTERM, Scenario.SIGTERM);
        map.put(Scenario.NODE_LOSS_ETCD_LEADER, Scenario.NODE_LOSS_ETCD_FOLLOWER);
        map.put(Scenario.NODE_LOSS_ETCD_FOLLOWER, Scenario.NODE_LOSS_ETCD_FOLLOWER);
        map.put(Scenario.COORDINATION_CUT, Scenario.HEARTBEAT_CUT);
        map.put(Scenario.HEARTBEAT_CUT, Scenario.HEARTBEAT_CUT);
        map.put(Scenario.ONE_WAY_LOSS, Scenario.ONE_WAY_LOSS);
        map.put(Scenario.CANDIDATE_LOSS_ETCD_LEADER, Scenario.CANDIDATE_LOSS_ETCD_LEADER);
        map.put(Scenario.SIGSTOP, Scenario.SIGSTOP);
        return Map.copyOf(map);
    }

    /** The keepalived scenario a govip scenario compares with, if any. */
    static Optional<Scenario> counterpart(Scenario scenario) {
        return Optional.ofNullable(COUNTERPART.get(scenario));
    }

    /** The keepalived scenarios to run for the govip scenarios asked for, each once, in the order asked. */
    static List<Scenario> scenariosFor(List<Scenario> asked) {
        Set<Scenario> run = new LinkedHashSet<>();
        asked.forEach(scenario -> counterpart(scenario).ifPresent(run::add));
        return List.copyOf(run);
    }

    void open() {
        if (lab != null) {
            return;
        }
        lab = KeepalivedLab.create(variant, ScenarioRunner.VIP);
        try {
            lab.startAll();
            lab.awaitSingleHolder(STARTUP);
        } catch (RuntimeException | Error e) {
            discardLab();
            throw e;
        }
    }

    @Override
    public Repetition run(Scenario scenario, int number) {
        open();
        String holder = lab.awaitSingleHolder(STARTUP);
        int holderNode = GovipLab.number(holder);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("reference", variant.key());
        List<String> errors = new ArrayList<>();
        Observation observation = Observation.start(lab.sources(), MAX_OBSERVATION);
        Observation.Seen seen;
        try {
            GovipLab.pause(BASELINE);
            inject(scenario, holder, holderNode, observation, extra);
            GovipLab.pause(TAIL);
        } catch (RuntimeException | AssertionError e) {
            errors.add(ScenarioRunner.message(e));
        } finally {
            try {
                seen = observation.stop();
            } finally {
                observation.close();
            }
        }
        try {
            restore();
        } catch (RuntimeException | AssertionError e) {
            errors.add("putting the lab back in shape failed, starting a new one: " + ScenarioRunner.message(e));
            discardLab();
        }
        return Repetition.reference(scenario, number, holder, seen, extra, errors);
    }

    private void inject(Scenario scenario, String holder, int holderNode, Observation observation,
            Map<String, Object> extra) {
        LabHost host = lab.lab().node(holderNode);
        KeepalivedProcess keepalived = lab.keepalived(holderNode);
        switch (scenario) {
            case SIGKILL -> {
                observation.markEvent();
                keepalived.kill();
                extra.put("newHolder", lab.awaitOtherHolder(holder, TAKEOVER));
            }
            case SIGTERM -> {
                observation.markEvent();
                keepalived.terminate(Duration.ofSeconds(15));
                extra.put("newHolder", lab.awaitOtherHolder(holder, TAKEOVER));
            }
            case NODE_LOSS_ETCD_FOLLOWER -> {
                observation.markEvent();
                lab.lab().unplug(host);
                try {
                    extra.put("newHolder", lab.awaitOtherHolder(holder, TAKEOVER));
                    GovipLab.pause(TAIL);
                } finally {
                    lab.lab().replug(host);
                }
                GovipLab.pause(SETTLE);
            }
            case HEARTBEAT_CUT -> {
                VrrpCut cut = new VrrpCut(host);
                observation.markEvent();
                cut.cut();
                try {
                    pauseUntil(observation, CUT_HOLD);
                } finally {
                    cut.heal();
                }
                GovipLab.pause(SETTLE);
            }
            case ONE_WAY_LOSS -> {
                observation.markEvent();
                lab.lab().muteOutbound(host);
                try {
                    extra.put("newHolder", lab.awaitOtherHolder(holder, TAKEOVER));
                    GovipLab.pause(TAIL);
                } finally {
                    lab.lab().unmute(host);
                }
                GovipLab.pause(SETTLE);
            }
            case CANDIDATE_LOSS_ETCD_LEADER -> {
                LabHost candidate = lab.lab().node(holderNode % GovipLab.NODES + 1);
                extra.put("lostCandidate", candidate.name());
                observation.markEvent();
                lab.lab().unplug(candidate);
                try {
                    pauseUntil(observation, CUT_HOLD);
                } finally {
                    lab.lab().replug(candidate);
                }
                GovipLab.pause(SETTLE);
            }
            case SIGSTOP -> {
                observation.markEvent();
                keepalived.freeze();
                try {
                    extra.put("newHolder", lab.awaitOtherHolder(holder, TAKEOVER));
                    pauseUntil(observation, FROZEN);
                } finally {
                    keepalived.thaw();
                }
                GovipLab.pause(SETTLE);
            }
            default -> throw new IllegalArgumentException(scenario.key() + " has no keepalived counterpart");
        }
        extra.put("holdersAtEnd", HolderHistory.label(lab.holders()));
    }

    private static void pauseUntil(Observation observation, Duration sinceEvent) {
        Duration left = sinceEvent.minus(observation.sinceEvent());
        if (left.isPositive()) {
            GovipLab.pause(left);
        }
    }

    /** Cables in, cuts healed, every keepalived thawed and running, one holder. */
    private void restore() {
        if (lab == null) {
            return;
        }
        for (int node = 1; node <= GovipLab.NODES; node++) {
            LabHost host = lab.lab().node(node);
            lab.lab().replug(host);
            lab.lab().unmute(host);
            KeepalivedProcess keepalived = lab.keepalived(node);
            if (keepalived.isAlive()) {
                keepalived.thaw();
            } else {
                lab.start(node);
            }
        }
        lab.awaitSingleHolder(STARTUP);
        GovipLab.pause(SETTLE);
    }

    private void discardLab() {
        if (lab != null) {
            try {
                lab.close();
            } catch (RuntimeException e) {
                log.accept("closing the keepalived lab failed: " + e.getMessage());
            }
            lab = null;
        }
    }

    @Override
    public void close() {
        discardLab();
    }
}
