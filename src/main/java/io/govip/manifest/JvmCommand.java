package io.govip.manifest;

import java.util.List;

/** How a unit starts the JVM: the options of the container image's entrypoint (docker/Dockerfile.jvm explains them). */
final class JvmCommand {

    static final String JAVA = "/usr/bin/java";
    static final String JAR = "/opt/govip/quarkus-run.jar";
    static final List<String> OPTIONS = List.of("-XX:+UseSerialGC", "-Xms16m", "-Xmx64m", "-XX:TieredStopAtLevel=1",
            "-XX:+ExitOnOutOfMemoryError", "-XX:-UsePerfData",
            "-Djava.util.logging.manager=org.jboss.logmanager.LogManager", "--enable-native-access=ALL-UNNAMED");

    private JvmCommand() {
    }
}
