package io.govip.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The packages form layers, each using only those below it: the command line and the composition root on top,
 * then the observers (health, metrics, notify hooks), then the core (the state machine) and the recovery after a
 * crash (restart), then the services they drive (etcd, the election, the heartbeats between peers, the kernel and
 * its switch, the checks of the service behind the VIP), and at the bottom the plain values (configuration,
 * addresses, the version). The election and the peer network sit side by side: neither uses the other.
 */
class ArchitectureTest {

    private static final JavaClasses PRODUCT = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.govip");

    @Test
    void noPackageUsesAPackageAboveIt() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Entry").definedBy("io.govip", "io.govip.cli..", "io.govip.manifest..")
                .layer("Composition").definedBy("io.govip.daemon..")
                .layer("Observers").definedBy("io.govip.health..", "io.govip.metrics..", "io.govip.notify..")
                .layer("Core").definedBy("io.govip.vip..")
                .layer("Restart").definedBy("io.govip.restart..")
                .layer("Election").definedBy("io.govip.election..")
                .layer("Peers").definedBy("io.govip.peer..")
                .layer("Services").definedBy("io.govip.etcd..", "io.govip.net..", "io.govip.fence..",
                        "io.govip.track..")
                .layer("Values").definedBy("io.govip.config..", "io.govip.address..", "io.govip.version..")
                .whereLayer("Entry").mayNotBeAccessedByAnyLayer()
                .whereLayer("Composition").mayOnlyBeAccessedByLayers("Entry")
                .whereLayer("Observers").mayOnlyBeAccessedByLayers("Entry", "Composition")
                .whereLayer("Core").mayOnlyBeAccessedByLayers("Entry", "Composition", "Observers")
                .whereLayer("Restart").mayOnlyBeAccessedByLayers("Entry", "Composition")
                .whereLayer("Election")
                .mayOnlyBeAccessedByLayers("Entry", "Composition", "Observers", "Core", "Restart")
                .whereLayer("Peers").mayOnlyBeAccessedByLayers("Entry", "Composition", "Observers", "Core")
                .whereLayer("Services")
                .mayOnlyBeAccessedByLayers("Entry", "Composition", "Observers", "Core", "Election", "Peers")
                .withOptionalLayers(true)
                .check(PRODUCT);
    }
}
