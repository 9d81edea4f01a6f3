package io.govip.lab;

import java.util.List;

/**
 * Runs repetitions on a lab that may fail to come up. A repetition whose lab could not be set up is recorded as
 * unobserved and the lab is closed, so the next repetition builds it afresh; a second such failure in a row means
 * the machine cannot host the lab now, and the run should stop rather than spend its hour failing.
 */
final class SetUpRetries {

    private static final int GIVE_UP_AFTER = 2;

    private final String labName;
    private int consecutiveFailures;

    SetUpRetries(String labName) {
        this.labName = labName;
    }

    Repetition run(LabRepetitions lab, Scenario scenario, int round) {
        try {
            Repetition repetition = lab.run(scenario, round);
            consecutiveFailures = 0;
            return repetition;
        } catch (RuntimeException | AssertionError e) {
            lab.close();
            consecutiveFailures++;
            return Repetition.unobserved(scenario, round, "?",
                    List.of(labName + " could not be set up: " + ScenarioRunner.message(e)));
        }
    }

    boolean givenUp() {
        return consecutiveFailures >= GIVE_UP_AFTER;
    }
}
