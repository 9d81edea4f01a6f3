package io.govip.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import io.govip.config.TrackSettings;
import io.govip.testing.CommandResult;
import io.govip.testing.EtcdMember;
import io.govip.testing.GovipLab;
import io.govip.testing.GovipProcess;
import io.govip.testing.Lab;

/**
 * The demo a newcomer watches: a three-node lab, the holder killed, the node brought back, a planned handover, the
 * service behind the VIP killed on the holder and brought back, each with what the client experienced. Fails (exit
 * code 1) when the lab misbehaves: two holders in any sample, no takeover within bounds, a VIP that moves when it
 * should stay, a govip exiting by itself.
 */
final class Demo {

    private static final String VIP = Lab.ipv4Vip(0) + "/32";
    private static final int TTL_SECONDS = LabOptions.DEFAULT_LEASE_TTL;
    private static final Duration OBSERVATION = Duration.ofSeconds(60);

    private final Terminal terminal;
    private final List<String> problems = new ArrayList<>();
    private final List<String> summary = new ArrayList<>();
    private int samplesChecked;
    private int questionsChecked;

    Demo(Terminal terminal) {
        this.terminal = terminal;
    }

    int run() {
        long started = System.nanoTime();
        say("govip failover demo");
        say("  Three nodes on one switch. Each runs an etcd member, govip, and a tiny server on port 8080 that");
        say("  answers with its node's name. A client (198.51.100.100) connects to the VIP " + vipAddress()
                + ":8080");
        say("  every 10 ms and notes who answers; the lab also samples every 10 ms which nodes' kernels hold the");
        say("  VIP, and the client asks by ARP every 10 ms who has it: two nodes answering one question would be a");
        say("  split brain the client can feel. govip runs with its defaults (lease TTL " + TTL_SECONDS + " s) and");
        say("  checks its own node's server (--track-http " + GovipLab.MONITOR_URL + ", the server's monitor URI,");
        say("  as it would check haproxy's).");
        say("");
        say("Starting etcd and govip on node1, node2, node3 ...");
        try (GovipLab lab = GovipLab.create(VIP, "--track-http", GovipLab.MONITOR_URL);
                LiveView live = new LiveView(terminal, Duration.ofMinutes(4))) {
            LabActions actions = new LabActions(lab, TTL_SECONDS);
            lab.startAll();
            String holder = lab.awaitSingleHolder(LabActions.STARTUP);
            lab.awaitStandbysReady();
            EtcdMember etcdLeader = lab.etcd().waitForLeader();
            say(String.format(Locale.ROOT, "Ready after %.1f s. %s holds the VIP; %s wait as candidates in the etcd "
                    + "election. The etcd raft leader is %s.", seconds(System.nanoTime() - started), holder,
                    others(holder), etcdLeader));
            say("");

            say("Watching for 3 s (live: time, who answers the client, who holds the VIP):");
            Observation watch = observe(lab, live);
            GovipLab.pause(Duration.ofSeconds(3));
            Observation.Seen seenWatch = finish(watch, live);
            check(seenWatch, "while watching");
            say("");

            String killed = lab.awaitSingleHolder(LabActions.STARTUP);
            String successor = killHolder(lab, actions, live, killed);
            bringBack(lab, actions, live, killed, successor);
            TookOver handedOver = handover(lab, actions, live, successor);
            serviceDeath(lab, actions, live, handedOver);
            checkNoUnexpectedExits(actions);
            live.close();
            say("");
            if (problems.isEmpty()) {
                say("In short:");
                summary.forEach(line -> say("  " + line));
                say(String.format(Locale.ROOT, "  No sample ever showed the VIP on two nodes (%d samples, 10 ms "
                        + "apart), no ARP question for it was answered by two (%d questions from the client); every "
                        + "govip that was not killed kept running.", samplesChecked, questionsChecked));
                say("  For figures over many repetitions and more failures: src/lab/govip-lab bench");
            }
            say("Cleaning up (stopping every process, deleting the lab's namespaces) ...");
        } catch (AssertionError | RuntimeException e) {
            problems.add(ScenarioRunner.message(e));
        }
        if (!problems.isEmpty()) {
            say("");
            say("DEMO FAILED: govip misbehaved or the lab did not work:");
            problems.forEach(problem -> say("  - " + problem));
            return 1;
        }
        say(String.format(Locale.ROOT, "Done in %.0f s.", seconds(System.nanoTime() - started)));
        return 0;
    }

    private String killHolder(GovipLab lab, LabActions actions, LiveView live, String holder) {
        say("1/4  Kill the holder");
        say("  govip on " + holder + " is killed with SIGKILL: it gets no chance to clean up. " + holder
                + "'s server keeps");
        say("  answering while its kernel still holds the VIP; the kernel drops it when the address lifetime govip");
        say("  set runs out. etcd hands the election to another node once " + holder + "'s lease (TTL "
                + TTL_SECONDS + " s) expires;");
        say("  that node adds the VIP and announces it with gratuitous ARP.");
        Observation observation = observe(lab, live);
        GovipLab.pause(Duration.ofSeconds(1));
        observation.markEvent();
        lab.govip(GovipLab.number(holder)).kill();
        String successor;
        try {
            successor = lab.awaitNewHolder(holder, Duration.ofSeconds(TTL_SECONDS + 3));
            actions.awaitAnswer(observation, successor, Duration.ofSeconds(5));
            GovipLab.pause(Duration.ofSeconds(1));
        } finally {
            finish(observation, live);
        }
        Observation.Seen seen = observation.stop();
        check(seen, "after the kill");
        ClientOutage outage = ClientOutage.of(seen.answers(), seen.event());
        HolderHistory history = HolderHistory.of(seen.holders(), holder, seen.event());
        say(String.format(Locale.ROOT,
                "  -> %s's kernel dropped the VIP %.2f s after the kill; %s took over at %.2f s.",
                holder, history.oldHolderGone().map(Demo::seconds).orElse(Double.NaN), successor,
                history.newHolderIn().map(Demo::seconds).orElse(Double.NaN)));
        say("  Client outage: " + describe(outage, seen.event()));
        say(String.format(Locale.ROOT, "  Holders never overlapped: no sample of %d showed the VIP on two nodes.",
                seen.holders().samples().size()));
        say("");
        summary.add(String.format(Locale.ROOT, "holder killed (SIGKILL):  the client went %.0f ms without an answer; "
                + "%s held the VIP %.1f s after the kill", outage.outageMillis(), successor,
                history.newHolderIn().map(Demo::seconds).orElse(Double.NaN)));
        return successor;
    }

    private void bringBack(GovipLab lab, LabActions actions, LiveView live, String node, String holder) {
        say("2/4  Bring " + node + " back");
        say("  govip starts again on " + node + ". It joins the election as a candidate; " + holder
                + " keeps the VIP.");
        Observation observation = observe(lab, live);
        Duration ready;
        try {
            ready = actions.startAndAwaitReady(GovipLab.number(node));
            GovipLab.pause(Duration.ofSeconds(1));
            lab.awaitStandbysReady();
        } finally {
            finish(observation, live);
        }
        Observation.Seen seen = observation.stop();
        check(seen, "while " + node + " came back");
        HolderHistory history = HolderHistory.of(seen.holders(), holder, Duration.ZERO);
        say(String.format(Locale.ROOT, "  -> govip on %s was ready (/q/health/ready) %.1f s after it started; the "
                + "VIP %s.", node, seconds(ready),
                history.vipDropped() ? "MOVED (unexpected)" : "stayed on " + holder));
        if (history.vipDropped()) {
            problems.add("the VIP left " + holder + " when " + node + " came back");
        }
        say("");
    }

    /** Which node took over, and when (System.nanoTime) it was seen holding the VIP. */
    private record TookOver(String node, long at) {
    }

    private TookOver handover(GovipLab lab, LabActions actions, LiveView live, String holder) {
        say("3/4  Planned handover");
        say("  'govip handover' asks " + holder + " to step down: it removes the VIP and resigns, and the next");
        say("  candidate takes over at once - no lease has to expire. (The command is a JVM: it takes a moment to");
        say("  start before anything happens.)");
        Observation observation = observe(lab, live);
        CommandResult result;
        String successor;
        long tookOverAt;
        try {
            GovipLab.pause(Duration.ofSeconds(1));
            observation.markEvent();
            result = actions.handover();
            if (result.exitCode() != 0) {
                throw new AssertionError("govip handover exited with " + result.exitCode() + ": "
                        + result.stderr().strip());
            }
            successor = lab.awaitNewHolder(holder, Duration.ofSeconds(10));
            tookOverAt = System.nanoTime();
            actions.awaitAnswer(observation, successor, Duration.ofSeconds(5));
            GovipLab.pause(Duration.ofSeconds(1));
        } finally {
            finish(observation, live);
        }
        Observation.Seen seen = observation.stop();
        check(seen, "during the handover");
        ClientOutage outage = ClientOutage.of(seen.answers(), seen.event());
        say("  govip says:  " + HandoverReport.parse(result.stdout()).map(HandoverReport::line)
                .orElse(result.stdout().strip()));
        say("  The client:  " + describe(outage, seen.event()));
        summary.add(String.format(Locale.ROOT, "planned handover:         the client went %.0f ms without an answer",
                outage.outageMillis()));
        say(String.format(Locale.ROOT, "  Holders never overlapped: no sample of %d showed the VIP on two nodes.",
                seen.holders().samples().size()));
        say("");
        return new TookOver(successor, tookOverAt);
    }

    /**
     * The server on the holder dies while govip runs on: the holder's checks fail and it hands over to a node whose
     * server works. Then the server comes back, and the VIP stays where it is.
     */
    private void serviceDeath(GovipLab lab, LabActions actions, LiveView live, TookOver holding) {
        String holder = holding.node();
        int holderNode = GovipLab.number(holder);
        say("4/4  Kill the service behind the VIP");
        say("  The server on " + holder + " (haproxy, on a real master) is killed; govip keeps running. " + holder
                + "'s checks");
        say("  fail twice in a row (they run every 250 ms), it waits 0.6 s for candidates whose server died too to");
        say("  step back, then hands over to a node whose server works, as 'govip handover' does.");
        Duration holdDown = TrackSettings.NONE.holdDown();
        Duration left = Duration.ofNanos(holding.at() + holdDown.toNanos() - System.nanoTime());
        if (left.isPositive()) {
            say(String.format(Locale.ROOT, "  (A leader keeps the VIP for at least the hold-down, %d s, so that a "
                    + "flapping check cannot bounce it: waiting %.0f s more.)", holdDown.toSeconds(), seconds(left)));
            GovipLab.pause(left);
        }
        int logFrom = lab.govip(holderNode).log().length();
        Observation observation = observe(lab, live);
        String successor;
        try {
            GovipLab.pause(Duration.ofSeconds(1));
            observation.markEvent();
            lab.killService(holderNode);
            successor = lab.awaitNewHolder(holder, Duration.ofSeconds(10));
            actions.awaitAnswer(observation, successor, Duration.ofSeconds(5));
            GovipLab.pause(Duration.ofSeconds(1));
        } finally {
            finish(observation, live);
        }
        Observation.Seen seen = observation.stop();
        check(seen, "after the service was killed");
        ClientOutage outage = ClientOutage.of(seen.answers(), seen.event());
        HolderHistory history = HolderHistory.of(seen.holders(), holder, seen.event());
        say(String.format(Locale.ROOT, "  -> %s held the VIP %.2f s after %s's server died.", successor,
                history.newHolderIn().map(Demo::seconds).orElse(Double.NaN), holder));
        say("  Client outage: " + describe(outage, seen.event()));
        say(String.format(Locale.ROOT, "  Holders never overlapped: no sample of %d showed the VIP on two nodes.",
                seen.holders().samples().size()));
        summary.add(String.format(Locale.ROOT, "service killed on holder: the client went %.0f ms without an answer",
                outage.outageMillis()));

        say("  The server on " + holder + " comes back: once its checks pass again, " + holder
                + " stands as a candidate;");
        say("  the VIP stays on " + successor + " (no member is preferred, so nothing moves it back).");
        Observation back = observe(lab, live);
        try {
            lab.startService(holderNode);
            awaitPassingAgain(lab.govip(holderNode), logFrom);
            lab.awaitStandbysReady();
            GovipLab.pause(Duration.ofSeconds(2));
        } finally {
            finish(back, live);
        }
        Observation.Seen seenBack = back.stop();
        check(seenBack, "when the service came back");
        boolean moved = HolderHistory.of(seenBack.holders(), successor, Duration.ZERO).vipDropped();
        if (moved) {
            problems.add("the VIP left " + successor + " when " + holder + "'s server came back");
        }
        say("  -> the VIP " + (moved ? "MOVED (unexpected)" : "stayed on " + successor) + ".");
    }

    private static void awaitPassingAgain(GovipProcess govip, int logFrom) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!govip.log().substring(logFrom).contains("passes again")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(govip + "'s checks did not pass again within 20 s of its server's return");
            }
            GovipLab.pause(Duration.ofMillis(50));
        }
    }

    private Observation observe(GovipLab lab, LiveView live) {
        Observation observation = Observation.start(lab, OBSERVATION);
        live.show(observation);
        return observation;
    }

    private Observation.Seen finish(Observation observation, LiveView live) {
        live.show(null);
        try {
            return observation.stop();
        } finally {
            observation.close();
        }
    }

    private void check(Observation.Seen seen, String when) {
        samplesChecked += seen.holders().samples().size();
        questionsChecked += seen.answering().samples().size();
        long twoHolders = seen.holders().samples().stream().filter(sample -> sample.value().size() > 1).count();
        if (twoHolders > 0) {
            problems.add(twoHolders + " samples showed the VIP on two nodes " + when);
        }
        long twoAnswering = seen.answering().samples().stream().filter(sample -> sample.value().size() > 1).count();
        if (twoAnswering > 0) {
            problems.add(twoAnswering + " ARP questions for the VIP were answered by two nodes " + when);
        }
    }

    private void checkNoUnexpectedExits(LabActions actions) {
        List<String> exits = actions.unexpectedExits(Set.of());
        if (!exits.isEmpty()) {
            problems.add("govip exited by itself on " + String.join(", ", exits));
        }
    }

    static String describe(ClientOutage outage, Duration event) {
        if (!outage.recovered()) {
            return String.format(Locale.ROOT, "no answer since %.2f s after the event (still down)",
                    seconds(outage.lastAnswer().minus(event)));
        }
        if (outage.outage().isZero()) {
            return "the client never missed an answer (probes 10 ms apart); it was answered by "
                    + outage.answeredBefore() + ", then by " + outage.answeredAfter() + ".";
        }
        return String.format(Locale.ROOT, "%.0f ms without an answer (last answer from %s at %+.2f s, next from %s at "
                + "%+.2f s).", outage.outageMillis(), outage.answeredBefore(),
                seconds(outage.lastAnswer().minus(event)), outage.answeredAfter(),
                seconds(outage.firstAnswer().minus(event)));
    }

    private void say(String text) {
        terminal.say(text);
    }

    private static String vipAddress() {
        return VIP.substring(0, VIP.indexOf('/'));
    }

    private static String others(String holder) {
        return List.of("node1", "node2", "node3").stream().filter(node -> !node.equals(holder))
                .collect(Collectors.joining(" and "));
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }

    static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }
}
