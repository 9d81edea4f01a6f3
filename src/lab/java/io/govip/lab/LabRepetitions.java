package io.govip.lab;

/** A lab that runs one repetition of a scenario at a time, and can be closed to be built afresh on the next one. */
interface LabRepetitions extends AutoCloseable {

    Repetition run(Scenario scenario, int number);

    @Override
    void close();
}
