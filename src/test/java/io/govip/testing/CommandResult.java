package io.govip.testing;

import java.util.List;

/** What a finished command printed and returned. */
public record CommandResult(List<String> command, int exitCode, String stdout, String stderr) {

    public CommandResult orThrow() {
        if (exitCode != 0) {
            throw new IllegalStateException("command failed (exit " + exitCode + "): " + String.join(" ", command)
                    + "\n" + stderr.strip() + "\n" + stdout.strip());
        }
        return this;
    }
}
