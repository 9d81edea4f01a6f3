package io.govip.track;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.govip.config.CheckDefinition;

/** Healthy when the program exits with status 0 within the timeout; see {@link SessionProcess} for how it runs. */
final class ExecCheck implements Check {

    private final CheckDefinition.Exec definition;
    private final Path setsid;
    private final List<String> words;

    ExecCheck(CheckDefinition.Exec definition, Path setsid) {
        this.definition = definition;
        this.setsid = setsid;
        List<String> resolved = new ArrayList<>(definition.words());
        resolved.set(0, definition.program().toString());
        this.words = List.copyOf(resolved);
    }

    @Override
    public String name() {
        return definition.name();
    }

    @Override
    public CheckResult run(Duration timeout) {
        try {
            SessionProcess.Outcome outcome = SessionProcess.run(setsid, words, Map.of(), timeout);
            if (outcome.exitStatus().isEmpty()) {
                return CheckResult.down("no exit within " + timeout.toMillis() + "ms: killed");
            }
            int status = outcome.exitStatus().get();
            return status == 0 ? CheckResult.up("exit status 0") : CheckResult.down("exit status " + status
                    + (outcome.output().isEmpty() ? "" : ": " + firstLine(outcome.output())));
        } catch (IOException e) {
            return CheckResult.down("could not start (" + e.getMessage() + ")");
        }
    }

    /** Only the first line goes into the log, and never a control character from the program's output. */
    private static String firstLine(String output) {
        String line = output.lines().findFirst().orElse("");
        String printable = line.replaceAll("\\p{Cntrl}", "?");
        return printable.length() > 200 ? printable.substring(0, 200) + "..." : printable;
    }
}
