package io.govip.track;

import java.nio.file.Path;
import java.util.List;

import io.govip.config.CheckDefinition;
import io.govip.config.TrackSettings;

/** Builds the runnable checks from their validated definitions. */
public final class Checks {

    private Checks() {
    }

    public static List<Check> of(TrackSettings settings) {
        return settings.checks().stream().map(definition -> of(definition, settings)).toList();
    }

    private static Check of(CheckDefinition definition, TrackSettings settings) {
        return switch (definition) {
            case CheckDefinition.Http http -> new HttpCheck(http, settings.timeout());
            case CheckDefinition.Tcp tcp -> new TcpCheck(tcp);
            case CheckDefinition.Exec exec -> new ExecCheck(exec, setsid());
        };
    }

    /** Refuses a CA file that holds no usable certificate, at start-up rather than at the first check. */
    public static void requireCertificates(String pem) {
        HttpCheck.trusting(pem);
    }

    /** The setsid program every exec check needs; the command line refuses an exec check when it is missing. */
    public static Path setsid() {
        return SessionProcess.setsid().orElseThrow(() -> new IllegalStateException("no setsid program found"));
    }

    /** Whether exec checks and hooks can run here: they need setsid (util-linux) to get a session of their own. */
    public static boolean canRunPrograms() {
        return SessionProcess.setsid().isPresent();
    }
}
