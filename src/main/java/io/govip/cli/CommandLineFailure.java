package io.govip.cli;

/** Why govip cannot do what its command line asks: one line for stderr, and the exit code that tells its class. */
public final class CommandLineFailure extends RuntimeException {

    private final ExitCode exitCode;

    public CommandLineFailure(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return exitCode;
    }
}
