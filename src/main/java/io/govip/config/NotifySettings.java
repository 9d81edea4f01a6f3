package io.govip.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The command run on every change of role or of the checks' verdict ({@code --notify}), and how long one run may take.
 *
 * @param command the command, validated at start-up; empty when none is configured
 * @param timeout a run still going after this is killed with everything it started
 */
public record NotifySettings(Optional<Command> command, Duration timeout) {

    public static final NotifySettings NONE = new NotifySettings(Optional.empty(), Duration.ofSeconds(5));

    /**
     * A program run without a shell.
     *
     * @param text    the command as the operator wrote it
     * @param program the first word, resolved to an executable file at start-up
     * @param words   the command split into words; the first is the program as written
     */
    public record Command(String text, Path program, List<String> words) {
        public Command {
            words = List.copyOf(words);
        }
    }
}
