package io.govip.cli;

import jakarta.inject.Inject;

import io.quarkus.runtime.QuarkusApplication;
import picocli.CommandLine.IFactory;

/** The Quarkus side of the launch: the same command line, now with CDI beans injected into the command. */
public class DaemonApplication implements QuarkusApplication {

    @Inject
    IFactory factory;

    @Override
    public int run(String... args) {
        return Cli.commandLine(factory, LayeredDefaults.load(args, System.getenv())).execute(args);
    }
}
