package io.govip.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.govip.config.EtcdSettings;
import io.govip.config.EtcdSettings.PemFile;
import io.govip.config.EtcdSettings.TlsMaterial;
import io.govip.config.GovipConfig;
import io.govip.config.InvalidOptionException;

class ManifestGeneratorTest {

    static final List<String> KUBEADM_OPTIONS = List.of("-etcd",
            "https://198.51.100.11:2379,https://198.51.100.12:2379,https://198.51.100.13:2379",
            "-cacert", KubeadmFiles.CA, "-cert", KubeadmFiles.CERT, "-key", KubeadmFiles.KEY,
            "-vip", "203.0.113.10/32", "-vif", "eth0", "--startup-timeout", "0");
    private static final String NODE_NAME = "cp-1";

    @TempDir
    static Path pki;

    private static KubeadmFiles files;
    private static ManifestGenerator generator;

    @BeforeAll
    static void mintTheNodesFiles() {
        files = KubeadmFiles.mint(pki);
        generator = new ManifestGenerator(files.daemonOptions(Map.of()), "ghcr.io/govip/govip:test");
    }

    @Test
    void aStaticPodReadsStrictlyIntoTheKubernetesPodType() {
        Pod pod = StrictKubernetes.read(generate("static-pod"), Pod.class);

        assertThat(pod.getMetadata().getNamespace()).isEqualTo("kube-system");
        assertThat(pod.getSpec().getHostNetwork()).isTrue();
        assertThat(govip(pod.getSpec()).getImage()).isEqualTo("ghcr.io/govip/govip:test");
    }

    @Test
    void aDaemonSetReadsStrictlyIntoTheKubernetesDaemonSetTypeWithTheStaticPodsContainer() {
        DaemonSet daemonSet = StrictKubernetes.read(generate("daemonset"), DaemonSet.class);
        Pod pod = StrictKubernetes.read(generate("static-pod"), Pod.class);

        PodSpec spec = daemonSet.getSpec().getTemplate().getSpec();
        assertThat(govip(spec)).isEqualTo(govip(pod.getSpec()));
        assertThat(spec.getVolumes()).isEqualTo(pod.getSpec().getVolumes());
        assertThat(daemonSet.getSpec().getSelector().getMatchLabels())
                .isEqualTo(daemonSet.getSpec().getTemplate().getMetadata().getLabels());
    }

    @Test
    void thePodsArgumentsGiveTheDaemonTheConfigurationTheyWereGeneratedFrom() {
        for (String kind : List.of("static-pod", "daemonset")) {
            PodSpec spec = podSpec(kind, generate(kind));
            Container container = govip(spec);
            EnvVar member = container.getEnv().stream().filter(variable -> variable.getName().equals("GOVIP_MEMBER"))
                    .findFirst().orElseThrow();

            GovipConfig running = files.daemonOptions(Map.of("GOVIP_MEMBER", NODE_NAME))
                    .validate(container.getArgs());

            assertThat(member.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.nodeName");
            assertThat(running).as(kind).isEqualTo(config(concat(KUBEADM_OPTIONS, List.of("-member", NODE_NAME))));
        }
    }

    @Test
    void kubeadmsEtcdDirectoryIsMountedReadOnlyAndOtherFilesOneByOne() throws IOException {
        PodSpec kubeadm = podSpec("static-pod", generate("static-pod"));
        assertThat(mount(govip(kubeadm), "/etc/kubernetes/pki/etcd").getReadOnly()).isTrue();
        assertThat(volume(kubeadm, "etcd-certs").getHostPath().getPath()).isEqualTo("/etc/kubernetes/pki/etcd");

        String cert = Files.copy(files.standIn(KubeadmFiles.CERT), pki.resolve("elsewhere.crt")).toString();
        String key = Files.copy(files.standIn(KubeadmFiles.KEY), pki.resolve("elsewhere.key")).toString();
        PodSpec other = podSpec("static-pod", generator.generate(List.of("static-pod", "-etcd",
                "https://198.51.100.11:2379", "-cacert", KubeadmFiles.CA, "-cert", cert, "-key", key)));
        assertThat(other.getVolumes()).extracting(Volume::getName).containsExactly("etcd-certs", "etcd-file-1",
                "etcd-file-2", "state", "tmp");
        assertThat(volume(other, "etcd-file-1").getHostPath().getType()).isEqualTo("File");
        assertThat(volume(other, "etcd-file-2").getHostPath().getPath()).isEqualTo(key);
        assertThat(mount(govip(other), key).getReadOnly()).isTrue();
    }

    @Test
    void plainHttpEtcdNeedsNoFilesFromTheNode() {
        PodSpec spec = podSpec("static-pod", generator.generate(List.of("static-pod", "-etcd",
                "http://198.51.100.11:2379", "-vip", "203.0.113.10/32")));

        assertThat(spec.getVolumes()).extracting(Volume::getName).containsExactly("state", "tmp");
    }

    /** The lease file must outlive the container, so that a govip restarted after a crash finds it. */
    @Test
    void theStateDirectoryIsTheNodesOwnAndWritable() {
        for (String kind : List.of("static-pod", "daemonset")) {
            PodSpec byDefault = podSpec(kind, generator.generate(List.of(kind, "-etcd", "http://198.51.100.11:2379")));
            assertThat(volume(byDefault, "state").getHostPath().getPath()).isEqualTo("/run/govip");
            assertThat(volume(byDefault, "state").getHostPath().getType()).isEqualTo("DirectoryOrCreate");
            assertThat(mount(govip(byDefault), "/run/govip").getReadOnly()).isNotEqualTo(Boolean.TRUE);

            PodSpec elsewhere = podSpec(kind, generator.generate(List.of(kind, "-etcd", "http://198.51.100.11:2379",
                    "--state-dir", "/run/vip-a")));
            assertThat(volume(elsewhere, "state").getHostPath().getPath()).isEqualTo("/run/vip-a");
            assertThat(mount(govip(elsewhere), "/run/vip-a").getName()).isEqualTo("state");

            PodSpec none = podSpec(kind, generator.generate(List.of(kind, "-etcd", "http://198.51.100.11:2379",
                    "--state-dir", "")));
            assertThat(none.getVolumes()).extracting(Volume::getName).doesNotContain("state");
        }
    }

    @Test
    void aUnitRefusesAStateDirectoryItsSandboxKeepsReadOnly() {
        assertThatThrownBy(() -> generator.generate(List.of("systemd", "-etcd", "http://198.51.100.11:2379",
                "--state-dir", "/var/lib/govip"))).isInstanceOf(InvalidOptionException.class)
                .hasMessageStartingWith("invalid --state-dir \"/var/lib/govip\": the unit's sandbox");
        assertThat(generator.generate(List.of("systemd", "-etcd", "http://198.51.100.11:2379", "--state-dir",
                "/run/govip/"))).contains("RuntimeDirectory=govip");
    }

    @Test
    void probesAndThePortFollowTheManagementPortAndTheTimingOptions() {
        Container container = govip(podSpec("static-pod", generator.generate(concat(List.of("static-pod"),
                List.of("-etcd", "http://198.51.100.11:2379", "--management-port", "9300", "--reconcile-interval",
                        "20s", "--startup-timeout", "30m")))));

        assertThat(container.getPorts().getFirst().getContainerPort()).isEqualTo(9300);
        assertThat(container.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("management");
        assertThat(container.getLivenessProbe().getPeriodSeconds() * container.getLivenessProbe()
                .getFailureThreshold()).isGreaterThanOrEqualTo(60);
        assertThat(container.getStartupProbe().getPeriodSeconds() * container.getStartupProbe()
                .getFailureThreshold()).isGreaterThanOrEqualTo(30 * 60);
    }

    @Test
    void memoryIsLimitedFromTheMeasuredFootprintAndCpuOnlyRequested() {
        Container container = govip(podSpec("static-pod", generate("static-pod")));

        assertThat(container.getResources().getRequests()).containsEntry("memory",
                new Quantity(MemoryBudget.REQUEST_MIB + "Mi")).containsKey("cpu");
        assertThat(container.getResources().getLimits()).containsOnlyKeys("memory")
                .containsEntry("memory", new Quantity(MemoryBudget.LIMIT_MIB + "Mi"));
        assertThat(MemoryBudget.LIMIT_MIB).isGreaterThanOrEqualTo(2 * MemoryBudget.STEADY_RESIDENT_MIB);
    }

    @Test
    void aManifestMadeWithDocumentationAddressesSaysItIsAnExample() {
        assertThat(generate("static-pod")).contains(DocumentationAddresses.WARNING);
        assertThat(generate("systemd")).contains(DocumentationAddresses.WARNING);
    }

    @Test
    void theOutputSaysHowItWasGeneratedSoItCanBeRunAgain() {
        String manifest = generator.generate(List.of("static-pod", "--image", "registry.example/govip:1", "-etcd",
                "http://198.51.100.11:2379", "-name", "/govip/with space/"));

        assertThat(manifest).contains("# Generated by: govip manifest static-pod --image registry.example/govip:1 "
                + "-etcd http://198.51.100.11:2379 -name '/govip/with space/'\n");
    }

    @Test
    void anUnknownOrMissingKindIsAUsageError() {
        assertThatThrownBy(() -> generator.generate(List.of("helm-chart"))).isInstanceOf(ManifestUsageException.class)
                .hasMessage("unknown manifest kind \"helm-chart\": static-pod, daemonset, systemd");
        assertThatThrownBy(() -> generator.generate(List.of("-vip", "203.0.113.10/32")))
                .isInstanceOf(ManifestUsageException.class).hasMessageContaining("needs a kind first");
        assertThatThrownBy(() -> generator.generate(List.of("systemd", "--image", "x")))
                .isInstanceOf(ManifestUsageException.class).hasMessageContaining("--image is for static-pod");
    }

    @Test
    void optionsAPodCannotHonourAreRefusedNamingTheOption() {
        assertThatThrownBy(() -> generator.generate(concat(List.of("static-pod"), KUBEADM_OPTIONS,
                List.of("-member", "cp-1")))).isInstanceOf(InvalidOptionException.class)
                .hasMessageStartingWith("invalid -member \"cp-1\": ").hasMessageContaining("spec.nodeName");
        assertThatThrownBy(() -> generator.generate(concat(List.of("daemonset"), KUBEADM_OPTIONS,
                List.of("--management-host", "127.0.0.1")))).isInstanceOf(InvalidOptionException.class)
                .hasMessageStartingWith("invalid --management-host \"127.0.0.1\": ");
        assertThatThrownBy(() -> generator.generate(List.of("static-pod", "-etcd", "https://198.51.100.11:2379",
                "-cacert", pki.resolve("ca.crt").toString(), "-cert", "", "-key", "", "--config", "govip.conf")))
                .isInstanceOf(InvalidOptionException.class).hasMessageStartingWith("invalid --config \"govip.conf\"");
        assertThatThrownBy(() -> generator.generate(List.of("systemd", "-etcd", "http://198.51.100.11:2379",
                "--user", "govip", "--password-file", "/etc/govip/password")))
                .isInstanceOf(InvalidOptionException.class).hasMessageStartingWith("invalid --password-file");
    }

    @Test
    void relativeTlsPathsAreRefusedBecauseTheyMeanNothingOnTheNode() {
        GovipConfig plain = config(List.of("-etcd", "http://198.51.100.11:2379"));
        GovipConfig relativeCa = new GovipConfig(new EtcdSettings(List.of(URI.create("https://198.51.100.11:2379")),
                Optional.of(new TlsMaterial(new PemFile("-cacert", Path.of("ca.crt"), "read here"), Optional.empty())),
                Optional.empty()),
                plain.election(), plain.vip(), plain.timing(), plain.announce(), plain.management(), plain.logFormat(),
                plain.track(), plain.hooks(), plain.stateDirectory());
        ManifestGenerator generatorOfADaemonThatReadCaCrtHere = new ManifestGenerator(args -> relativeCa, "unused");

        assertThatThrownBy(() -> generatorOfADaemonThatReadCaCrtHere.generate(List.of("systemd",
                "-etcd", "https://198.51.100.11:2379"))).isInstanceOf(InvalidOptionException.class)
                .hasMessage("invalid -cacert \"ca.crt\": a manifest needs an absolute path on the nodes (kubeadm's "
                        + "are in /etc/kubernetes/pki/etcd)");
    }

    @Test
    void whatTheDaemonRefusesTheManifestRefusesWithTheDaemonsOwnError() {
        for (List<String> bad : List.of(List.of("-vip", "203.0.113.0/24"), List.of("-vif", "eth0/1"),
                List.of("--lease-ttl", "1s"),
                List.of("-etcd", "http://198.51.100.11:2379,https://198.51.100.12:2379"))) {
            List<String> args = concat(List.of("-etcd", "http://198.51.100.11:2379"), bad);
            RuntimeException daemon = catchRuntime(() -> files.daemonOptions(Map.of()).validate(args));

            assertThatThrownBy(() -> generator.generate(concat(List.of("static-pod"), args)))
                    .as(String.join(" ", bad)).isInstanceOf(daemon.getClass()).hasMessage(daemon.getMessage());
        }
    }

    private static RuntimeException catchRuntime(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("the daemon accepted it");
    }

    static String generate(String kind) {
        return generator.generate(concat(List.of(kind), KUBEADM_OPTIONS));
    }

    private static GovipConfig config(List<String> args) {
        return files.daemonOptions(Map.of()).validate(args);
    }

    static PodSpec podSpec(String kind, String manifest) {
        return kind.equals("daemonset") ? StrictKubernetes.read(manifest, DaemonSet.class).getSpec().getTemplate()
                .getSpec() : StrictKubernetes.read(manifest, Pod.class).getSpec();
    }

    static Container govip(PodSpec spec) {
        assertThat(spec.getContainers()).hasSize(1);
        return spec.getContainers().getFirst();
    }

    private static VolumeMount mount(Container container, String path) {
        return container.getVolumeMounts().stream().filter(mount -> mount.getMountPath().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError("nothing mounted at " + path));
    }

    private static Volume volume(PodSpec spec, String name) {
        return spec.getVolumes().stream().filter(volume -> volume.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    @SafeVarargs
    static List<String> concat(List<String>... parts) {
        List<String> all = new ArrayList<>();
        Stream.of(parts).forEach(all::addAll);
        return all;
    }
}
