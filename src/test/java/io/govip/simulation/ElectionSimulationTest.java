package io.govip.simulation;

import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Thousands of random fault schedules against the real state machine: never two kernels with the VIP, and the VIP
 * held again soon after the last fault heals. The seeds are fixed so that CI is repeatable; a failing seed is
 * printed with the end of its trace. {@code -Dgovip.sim.seed=N} replays exactly one seed with its trace,
 * {@code -Dgovip.sim.base=N -Dgovip.sim.schedules=M} explores other seeds.
 */
class ElectionSimulationTest {

    /**
     * After the last fault etcd may first give every lease a fresh TTL plus an election timeout (6 s); a dead
     * holder's lease then expires at the next lessor check (0.5 s), and its successor waits for the bound on its
     * self-fence (at most TTL − fence margin + a read interval + a keep-alive timeout + slack, 6.6 s) before it adds
     * the VIP.
     */
    static final long LIVENESS_BOUND = 16 * Simulator.SECOND;
    private static final long FIRST_SEED = 20_261_130_000L;
    /** Seeds of the fixed range skipped for a documented open reason: none left. */
    private static final Map<Long, String> KNOWN_OPEN = Map.of();

    @Test
    void noTwoKernelsEverHoldTheVipAndOneHoldsItAgainSoonAfterTheFaultsHeal() {
        new SeedCampaign("simulation", "govip.sim", FIRST_SEED, 2000, KNOWN_OPEN,
                (seed, traced) -> Simulation.randomRun(seed, LIVENESS_BOUND, traced), "VIP held again")
                .runAndAssertNoFailure();
    }
}
