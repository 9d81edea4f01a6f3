package io.govip;

import io.govip.cli.Launcher;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Entry point. Help, version, the client subcommands and every configuration error are handled before Quarkus
 * starts, so they answer fast and never bind the management port; only a valid daemon configuration boots Quarkus.
 */
@QuarkusMain
public final class Main {

    private Main() {
    }

    public static void main(String... args) {
        // netty otherwise reaches for sun.misc.Unsafe's memory methods, and JDK 25 prints a four-line warning on
        // stderr at the first use: noise in the one-line errors and the client commands' output.
        if (System.getProperty("io.netty.noUnsafe") == null) {
            System.setProperty("io.netty.noUnsafe", "true");
        }
        int exitCode = Launcher.launch(args);
        if (exitCode != 0) {
            System.exit(exitCode);
        }
    }
}
