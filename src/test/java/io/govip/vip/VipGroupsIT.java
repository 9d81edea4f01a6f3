package io.govip.vip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import io.govip.testing.AddressReader;
import io.govip.testing.CommandResult;
import io.govip.testing.GovipLab;
import io.govip.testing.GovipLabs;
import io.govip.testing.GovipProcess;
import io.govip.testing.Lab;
import io.govip.testing.Shell;
import io.govip.testing.Timeline;
import io.govip.testing.VipSampler;

/**
 * Two --vip-group groups on three real govips with --spread: after start the groups are on different nodes; the
 * holder of one SIGKILLed moves that group only, the other stays where it is; "govip handover --group" moves one
 * group and leaves the other; never one address on two nodes. "govip handover -member M" without --group hands over
 * the groups M leads. A member with a higher --priority is handed every group.
 */
class VipGroupsIT {

    private static final String API = Lab.ipv4Vip(11);
    private static final String INGRESS = Lab.ipv4Vip(12);
    private static final Duration STARTUP = Duration.ofSeconds(30);
    private static final Duration TAKEOVER = Duration.ofSeconds(15);

    @RegisterExtension
    final GovipLabs labs = new GovipLabs();
    private GovipLab lab;

    @Test
    void spreadGroupsStartOnDifferentNodesAndMoveOneAtATimeOnAKillAndAHandover() {
        // A step longer than the start-up skew of three JVMs on a loaded machine (seconds, at times).
        lab = labs.withoutVip("--vip-group", "api=" + API + "/32", "--vip-group", "ingress=" + INGRESS + "/32",
                "--spread", "8s").startAll();
        String apiHolder = awaitSoleHolder(API, Set.of(), STARTUP);
        String ingressHolder = awaitSoleHolder(INGRESS, Set.of(), STARTUP);
        awaitCandidates("api", GovipLab.NODES);
        awaitCandidates("ingress", GovipLab.NODES);
        assertThat(lab.holders(API)).as("api after start").containsExactly(apiHolder);
        assertThat(lab.holders(INGRESS)).as("ingress after start").containsExactly(ingressHolder);
        assertThat(apiHolder).as("--spread put the groups on different nodes\n" + lab.logs())
                .isNotEqualTo(ingressHolder);
        assertThat(lab.govip(GovipLab.number(apiHolder)).log()).contains("guards 2 VIP groups",
                "group api: CANDIDATE -> LEADER", "group api: VIP " + API + "/32 on eth0 added");
        CommandResult status = client("status", "--group", "api");
        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(status.stdout()).contains("election /govip/.group/api: 3 candidates", "VIP held by " + apiHolder);

        Timeline<Set<String>> apiHolders;
        Timeline<Set<String>> ingressHolders;
        String apiSuccessor;
        try (AddressReader apiReader = AddressReader.viaNetlink();
                AddressReader ingressReader = AddressReader.viaNetlink();
                VipSampler apiSampler = VipSampler.start(lab.lab().nodes(), API, apiReader, Duration.ofSeconds(30));
                VipSampler ingressSampler = VipSampler.start(lab.lab().nodes(), INGRESS, ingressReader,
                        Duration.ofSeconds(30))) {
            lab.govip(GovipLab.number(apiHolder)).kill();
            apiSuccessor = awaitSoleHolder(API, Set.of(apiHolder), TAKEOVER);
            apiHolders = apiSampler.stop();
            ingressHolders = ingressSampler.stop();
        }
        assertThat(apiHolders.samples()).isNotEmpty().noneMatch(sample -> sample.value().size() > 1);
        assertThat(ingressHolders.samples()).as("ingress stays while api moves").isNotEmpty()
                .allMatch(sample -> sample.value().equals(Set.of(ingressHolder)));
        System.out.printf("groups SIGKILL: api %s -> %s; ingress stayed on %s%n", apiHolder, apiSuccessor,
                ingressHolder);

        try (AddressReader apiReader = AddressReader.viaNetlink();
                AddressReader ingressReader = AddressReader.viaNetlink();
                VipSampler apiSampler = VipSampler.start(lab.lab().nodes(), API, apiReader, Duration.ofSeconds(30));
                VipSampler ingressSampler = VipSampler.start(lab.lab().nodes(), INGRESS, ingressReader,
                        Duration.ofSeconds(30))) {
            CommandResult handover = client("handover", "--group", "ingress");
            assertThat(handover.exitCode()).as(handover + "\n" + lab.logs()).isZero();
            String ingressSuccessor = awaitSoleHolder(INGRESS, Set.of(ingressHolder, apiHolder), TAKEOVER);
            apiHolders = apiSampler.stop();
            ingressHolders = ingressSampler.stop();
            System.out.printf("groups handover: %s; ingress %s -> %s%n", handover.stdout().strip(), ingressHolder,
                    ingressSuccessor);
        }
        assertThat(ingressHolders.samples()).isNotEmpty().noneMatch(sample -> sample.value().size() > 1);
        assertThat(apiHolders.samples()).as("api stays while ingress is handed over").isNotEmpty()
                .allMatch(sample -> sample.value().equals(Set.of(apiSuccessor)));

        CommandResult everyGroupLed = client("handover", "-member", apiSuccessor);
        assertThat(everyGroupLed.exitCode()).as(everyGroupLed + "\n" + lab.logs()).isZero();
        assertThat(awaitSoleHolder(API, Set.of(apiSuccessor, apiHolder), TAKEOVER)).as("api handed over without "
                + "--group, by the member that led it").isNotEqualTo(apiSuccessor);
    }

    /**
     * A govip that leads both groups, SIGKILLed and restarted at once on its node: the restarted process ends its
     * predecessor's one lease in both groups' elections, so both move on long before the lease (10 s) would expire.
     */
    @Test
    void aHolderOfTwoGroupsKilledAndRestartedAtOnceHandsBothOnBeforeItsLeaseExpires() {
        Duration ttl = Duration.ofSeconds(10);
        lab = labs.withoutVip("--vip-group", "api=" + API + "/32", "--vip-group", "ingress=" + INGRESS + "/32",
                "--lease-ttl", ttl.toSeconds() + "s");
        lab.startGovip(1);
        awaitSoleHolder(API, Set.of("node2", "node3"), STARTUP);
        awaitSoleHolder(INGRESS, Set.of("node2", "node3"), STARTUP);
        lab.startGovip(2);
        lab.startGovip(3);
        awaitCandidates("api", GovipLab.NODES);
        awaitCandidates("ingress", GovipLab.NODES);
        long killedPid = lab.govip(1).pid();

        Timeline<Set<String>> apiHolders;
        Timeline<Set<String>> ingressHolders;
        GovipProcess restarted;
        try (AddressReader apiReader = AddressReader.viaNetlink();
                AddressReader ingressReader = AddressReader.viaNetlink();
                VipSampler apiSampler = VipSampler.start(lab.lab().nodes(), API, apiReader, Duration.ofSeconds(30));
                VipSampler ingressSampler = VipSampler.start(lab.lab().nodes(), INGRESS, ingressReader,
                        Duration.ofSeconds(30))) {
            lab.govip(1).kill();
            restarted = lab.startGovip(1);
            awaitSoleHolder(API, Set.of("node1"), ttl.minusSeconds(2));
            awaitSoleHolder(INGRESS, Set.of("node1"), ttl.minusSeconds(2));
            apiHolders = apiSampler.stop();
            ingressHolders = ingressSampler.stop();
        }

        assertThat(apiHolders.samples()).isNotEmpty().noneMatch(sample -> sample.value().size() > 1);
        assertThat(ingressHolders.samples()).isNotEmpty().noneMatch(sample -> sample.value().size() > 1);
        assertThat(restarted.log()).contains(" of a crashed predecessor (pid " + killedPid + ") released and revoked");
        assertThat(restarted.isAlive()).isTrue();
    }

    /**
     * --priority per group: a member with a higher priority that joins later is handed each group in turn, by that
     * group's leader, after the preempt delay; never one address on two nodes.
     */
    @Test
    void aHigherPriorityMemberThatJoinsIsHandedEveryGroup() {
        lab = labs.withoutVip("--vip-group", "api=" + API + "/32", "--vip-group", "ingress=" + INGRESS + "/32",
                "--preempt-delay", "2s");
        lab.startGovip(1);
        awaitSoleHolder(API, Set.of("node2", "node3"), STARTUP);
        awaitSoleHolder(INGRESS, Set.of("node2", "node3"), STARTUP);
        lab.startGovip(2);
        awaitCandidates("api", 2);
        awaitCandidates("ingress", 2);

        Timeline<Set<String>> apiHolders;
        Timeline<Set<String>> ingressHolders;
        try (AddressReader apiReader = AddressReader.viaNetlink();
                AddressReader ingressReader = AddressReader.viaNetlink();
                VipSampler apiSampler = VipSampler.start(lab.lab().nodes(), API, apiReader, Duration.ofSeconds(60));
                VipSampler ingressSampler = VipSampler.start(lab.lab().nodes(), INGRESS, ingressReader,
                        Duration.ofSeconds(60))) {
            lab.startGovip(3, "--priority", "10");
            awaitSoleHolder(API, Set.of("node1", "node2"), STARTUP);
            awaitSoleHolder(INGRESS, Set.of("node1", "node2"), STARTUP);
            apiHolders = apiSampler.stop();
            ingressHolders = ingressSampler.stop();
        }

        assertThat(apiHolders.samples()).isNotEmpty().noneMatch(sample -> sample.value().size() > 1);
        assertThat(ingressHolders.samples()).isNotEmpty().noneMatch(sample -> sample.value().size() > 1);
        assertThat(lab.govip(1).log()).contains(
                "making way for node3 (priority 10, above this member's 0, checks passing) in group api",
                "making way for node3 (priority 10, above this member's 0, checks passing) in group ingress");
    }

    /** Waits (bounded) until exactly one node, none of {@code notOn}, holds {@code address}; names it. */
    private String awaitSoleHolder(String address, Set<String> notOn, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Set<String> holders = lab.holders(address);
            if (holders.size() == 1 && !notOn.contains(holders.iterator().next())) {
                return holders.iterator().next();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(address + ": expected one holder, not on " + notOn + ", within " + timeout
                        + ", found " + holders + "\n" + lab.logs());
            }
            GovipLab.pause(Duration.ofMillis(10));
        }
    }

    /** Waits (bounded) until {@code count} members stand in the group's election. */
    private void awaitCandidates(String group, long count) {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        try (Client client = lab.etcd().newClient()) {
            while (true) {
                long candidates = client.getKVClient().get(
                        ByteSequence.from("/govip/.group/" + group + "/", StandardCharsets.UTF_8),
                        GetOption.builder().isPrefix(true).withCountOnly(true).build()).get().getCount();
                if (candidates == count) {
                    return;
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError(candidates + " candidates in group " + group + ", not " + count + "\n"
                            + lab.logs());
                }
                GovipLab.pause(Duration.ofMillis(100));
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private CommandResult client(String... args) {
        List<String> command = new ArrayList<>(List.of(args));
        command.addAll(List.of("-etcd", lab.etcd().endpoints()));
        return Shell.run(lab.lab().client().namespace().inside(GovipProcess.command(command)),
                Duration.ofSeconds(30));
    }
}
