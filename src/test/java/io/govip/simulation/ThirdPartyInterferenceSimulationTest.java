package io.govip.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The third-party cases of the hardening issue, each as a fixed schedule on three nodes replayed with a hundred
 * seeds (network delays, kernel lateness, clock origins): no two kernels ever hold the VIP, and it is held again
 * within the liveness bound.
 */
class ThirdPartyInterferenceSimulationTest {

    private static final long SECOND = Simulator.SECOND;
    private static final int SEEDS = 100;

    @Test
    void aThirdPartyDeletingTheLeadersKeyNeverLeavesTwoHolders() {
        assertEverySeedPasses(List.of(new Fault.DeleteLeaderKey(6 * SECOND)));
    }

    @Test
    void aThirdPartyRevokingTheLeaseOfAHolderThatRenewsItNeverLeavesTwoHolders() {
        assertEverySeedPasses(List.of(new Fault.RevokeLeaderLease(6 * SECOND)));
    }

    @Test
    void aHolderCutFromEtcdAndThenRevokedNeverOverlapsWithItsSuccessor() {
        assertEverySeedPasses(List.of(new Fault.Cut(Fault.HOLDER, 6 * SECOND, 4 * SECOND, true, true),
                new Fault.RevokeLeaderLease(7 * SECOND)));
    }

    private static void assertEverySeedPasses(List<Fault> faults) {
        for (long seed = 1; seed <= SEEDS; seed++) {
            Simulation.Outcome outcome = new Simulation(seed, 3, false).run(faults,
                    ElectionSimulationTest.LIVENESS_BOUND);
            if (!outcome.passed()) {
                Simulation.Outcome traced = new Simulation(seed, 3, true).run(faults,
                        ElectionSimulationTest.LIVENESS_BOUND);
                assertThat(outcome.failure()).as("seed " + seed + "\n" + traced.trace()).isEmpty();
            }
        }
    }
}
