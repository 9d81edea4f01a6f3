package io.govip.cli;

import java.util.concurrent.Callable;

import io.govip.version.GovipVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** "govip version": the same answer as -version, for people who expect a subcommand. */
@Command(name = "version", description = "Print version and exit")
public class VersionCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        for (String line : new GovipVersion().getVersion()) {
            spec.commandLine().getOut().println(line);
        }
        return ExitCode.OK.code();
    }
}
