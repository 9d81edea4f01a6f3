package io.govip.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

/** The Kubernetes manifests against the application: flags, variables, probes, privileges and timing. */
class KubernetesManifestsTest {

    private static final String STATIC_POD = "k8s/static-pod.yaml";
    private static final String DAEMON_SET = "k8s/daemonset.yaml";
    private static final String NODE_NAME = "cp-1";

    /** A cold start of a bare-metal control plane: firmware, boot, etcd finding its quorum. */
    private static final Duration COLD_START = Duration.ofMinutes(5);

    @ParameterizedTest
    @ValueSource(strings = {STATIC_POD, DAEMON_SET})
    void theArgsAndVariablesAreAValidGovipCommandLine(String manifest) {
        JsonNode container = govipContainer(manifest);

        assertThat(flags(container)).isSubsetOf(GovipOptions.flagNames());
        assertThat(govipVariables(container)).isSubsetOf(GovipOptions.environmentNames());
        effective(container);
    }

    @ParameterizedTest
    @ValueSource(strings = {STATIC_POD, DAEMON_SET})
    void theMemberIsTheNodeNameFromTheDownwardApi(String manifest) {
        JsonNode container = govipContainer(manifest);

        assertThat(environmentVariable(container, "GOVIP_MEMBER").path("valueFrom").path("fieldRef")
                .path("fieldPath").asText()).isEqualTo("spec.nodeName");
        assertThat(effective(container).text("--member")).isEqualTo(NODE_NAME);
    }

    @ParameterizedTest
    @ValueSource(strings = {STATIC_POD, DAEMON_SET})
    void probesAskTheSmallRyeHealthEndpointsOnTheManagementPort(String manifest) {
        JsonNode container = govipContainer(manifest);
        int managementPort = effective(container).integer("--management-port");

        assertThat(probe(container, "startupProbe").path("httpGet").path("path").asText())
                .isEqualTo("/q/health/started");
        assertThat(probe(container, "livenessProbe").path("httpGet").path("path").asText())
                .isEqualTo("/q/health/live");
        assertThat(probe(container, "readinessProbe").path("httpGet").path("path").asText())
                .isEqualTo("/q/health/ready");
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            assertThat(port(container, probe(container, probe).path("httpGet").path("port")))
                    .as(probe).isEqualTo(managementPort);
        }
    }

    /** Liveness is blind to etcd; it fails only when govip's loop stops stepping for its own window. */
    @ParameterizedTest
    @ValueSource(strings = {STATIC_POD, DAEMON_SET})
    void livenessToleratesFailureAtLeastAsLongAsGovipsOwnStallWindow(String manifest) {
        JsonNode container = govipContainer(manifest);
        Duration reconcile = effective(container).duration("--reconcile-interval");
        Duration stallWindow = max(reconcile.multipliedBy(3), Duration.ofSeconds(10));

        assertThat(failureWindow(probe(container, "livenessProbe"))).isGreaterThanOrEqualTo(stallWindow);
    }

    /**
     * Restarting govip cannot heal etcd. The startup probe must outlast govip's own patience (its --startup-timeout
     * exit is the clearer signal); when govip waits for etcd forever, it must outlast a cold start of the control
     * plane.
     */
    @ParameterizedTest
    @ValueSource(strings = {STATIC_POD, DAEMON_SET})
    void theStartupProbeWaitsForEtcdThroughAColdStart(String manifest) {
        JsonNode container = govipContainer(manifest);
        Duration startupTimeout = effective(container).duration("--startup-timeout");
        Duration window = failureWindow(probe(container, "startupProbe"));

        assertThat(window).isGreaterThanOrEqualTo(startupTimeout.isZero() ? COLD_START : startupTimeout);
    }

    @ParameterizedTest
    @ValueSource(strings = {STATIC_POD, DAEMON_SET})
    void govipHoldsOnlyNetAdminAndNetRawAndNothingIsPrivileged(String manifest) {
        JsonNode pod = podSpec(manifest);

        assertThat(pod.path("hostNetwork").asBoolean()).isTrue();
        assertThat(pod.path("hostPID").asBoolean()).isFalse();
        assertThat(pod.path("hostIPC").asBoolean()).isFalse();
        assertThat(pod.path("initContainers").isMissingNode()).isTrue();
        assertThat(pod.path("containers")).hasSize(1);
        JsonNode security = govipContainer(manifest).path("securityContext");
        assertThat(texts(security.path("capabilities").path("add"))).containsExactlyInAnyOrder("NET_ADMIN", "NET_RAW");
        assertThat(texts(security.path("capabilities").path("drop"))).containsExactly("ALL");
        assertThat(security.path("privileged").asBoolean()).isFalse();
        assertThat(security.path("allowPrivilegeEscalation").isBoolean()).isTrue();
        assertThat(security.path("allowPrivilegeEscalation").asBoolean()).isFalse();
        assertThat(security.path("readOnlyRootFilesystem").asBoolean()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {STATIC_POD, DAEMON_SET})
    void theEtcdCertificatesComeFromAReadOnlyMountOfKubeadmsDirectory(String manifest) {
        JsonNode container = govipContainer(manifest);
        GovipOptions.Effective options = effective(container);
        JsonNode mount = volumeMount(container, "/etc/kubernetes/pki/etcd");

        assertThat(mount.path("readOnly").asBoolean()).isTrue();
        assertThat(volume(manifest, mount.path("name").asText()).path("hostPath").path("path").asText())
                .isEqualTo("/etc/kubernetes/pki/etcd");
        for (String file : List.of("--cacert", "--cert", "--key")) {
            assertThat(options.text(file)).as(file).startsWith("/etc/kubernetes/pki/etcd/");
        }
    }

    /** CFS throttling could stall lease renewals and cost the VIP; memory is bounded, CPU is not. */
    @ParameterizedTest
    @ValueSource(strings = {STATIC_POD, DAEMON_SET})
    void memoryIsLimitedButCpuIsNot(String manifest) {
        JsonNode resources = govipContainer(manifest).path("resources");

        assertThat(resources.path("requests").has("cpu")).isTrue();
        assertThat(resources.path("requests").has("memory")).isTrue();
        assertThat(resources.path("limits").has("memory")).isTrue();
        assertThat(resources.path("limits").has("cpu")).isFalse();
    }

    @Test
    void theStaticPodAndTheDaemonSetRunTheSameContainer() {
        assertThat(govipContainer(DAEMON_SET)).isEqualTo(govipContainer(STATIC_POD));
        assertThat(podSpec(DAEMON_SET).path("volumes")).isEqualTo(podSpec(STATIC_POD).path("volumes"));
    }

    @Test
    void theDaemonSetRunsOnlyOnControlPlaneNodesAndToleratesTheirTaints() {
        JsonNode pod = podSpec(DAEMON_SET);
        Set<String> required = new TreeSet<>();
        for (JsonNode term : pod.path("affinity").path("nodeAffinity")
                .path("requiredDuringSchedulingIgnoredDuringExecution").path("nodeSelectorTerms")) {
            for (JsonNode expression : term.path("matchExpressions")) {
                required.add(expression.path("key").asText() + " " + expression.path("operator").asText());
            }
        }
        Set<String> tolerated = new TreeSet<>();
        for (JsonNode toleration : pod.path("tolerations")) {
            tolerated.add(toleration.path("key").asText() + " " + toleration.path("effect").asText());
        }

        assertThat(required).containsExactlyInAnyOrder("node-role.kubernetes.io/control-plane Exists",
                "node-role.kubernetes.io/master Exists");
        assertThat(tolerated).containsExactlyInAnyOrder("node-role.kubernetes.io/control-plane NoSchedule",
                "node-role.kubernetes.io/master NoSchedule");
        assertThat(pod.path("priorityClassName").asText()).isEqualTo("system-node-critical");
    }

    @Test
    void theStaticPodIsACriticalKubeSystemPod() {
        JsonNode pod = Repository.yaml(STATIC_POD);

        assertThat(pod.path("kind").asText()).isEqualTo("Pod");
        assertThat(pod.path("metadata").path("namespace").asText()).isEqualTo("kube-system");
        assertThat(pod.path("spec").path("priorityClassName").asText()).isEqualTo("system-node-critical");
    }

    private static JsonNode podSpec(String manifest) {
        JsonNode document = Repository.yaml(manifest);
        return document.path("kind").asText().equals("Pod") ? document.path("spec")
                : document.path("spec").path("template").path("spec");
    }

    private static JsonNode govipContainer(String manifest) {
        for (JsonNode container : podSpec(manifest).path("containers")) {
            if (container.path("name").asText().equals("govip")) {
                return container;
            }
        }
        throw new AssertionError(manifest + " has no container named govip");
    }

    private static List<String> args(JsonNode container) {
        List<String> args = new ArrayList<>();
        container.path("command").forEach(arg -> args.add(arg.asText()));
        container.path("args").forEach(arg -> args.add(arg.asText()));
        return args;
    }

    /** The flag names in args, "--x=value" read as "--x"; values that start with a dash do not occur in govip's. */
    private static List<String> flags(JsonNode container) {
        return args(container).stream().filter(arg -> arg.startsWith("-")).map(arg -> arg.replaceFirst("=.*", ""))
                .toList();
    }

    private static Set<String> govipVariables(JsonNode container) {
        Set<String> names = new TreeSet<>();
        container.path("env").forEach(variable -> names.add(variable.path("name").asText()));
        names.removeIf(name -> !name.startsWith("GOVIP_"));
        return names;
    }

    /** The options govip would run with: the kubelet's environment (the node name from the downward API) and args. */
    private static GovipOptions.Effective effective(JsonNode container) {
        Map<String, String> environment = new HashMap<>();
        for (JsonNode variable : container.path("env")) {
            JsonNode fieldPath = variable.path("valueFrom").path("fieldRef").path("fieldPath");
            environment.put(variable.path("name").asText(),
                    fieldPath.asText().equals("spec.nodeName") ? NODE_NAME : variable.path("value").asText());
        }
        return GovipOptions.parse(args(container), environment);
    }

    private static JsonNode environmentVariable(JsonNode container, String name) {
        for (JsonNode variable : container.path("env")) {
            if (variable.path("name").asText().equals(name)) {
                return variable;
            }
        }
        throw new AssertionError("no environment variable " + name);
    }

    private static JsonNode probe(JsonNode container, String kind) {
        JsonNode probe = container.path(kind);
        assertThat(probe.isObject()).as(kind).isTrue();
        return probe;
    }

    /** How long the kubelet sees a probe fail before it acts: periodSeconds times failureThreshold. */
    private static Duration failureWindow(JsonNode probe) {
        return Duration.ofSeconds(
                (long) probe.path("periodSeconds").asInt(10) * probe.path("failureThreshold").asInt(3));
    }

    /** A probe port, by number or by the name of one of the container's ports. */
    private static int port(JsonNode container, JsonNode port) {
        if (port.isInt()) {
            return port.asInt();
        }
        for (JsonNode declared : container.path("ports")) {
            if (declared.path("name").asText().equals(port.asText())) {
                return declared.path("containerPort").asInt();
            }
        }
        throw new AssertionError("no container port named " + port.asText());
    }

    private static JsonNode volumeMount(JsonNode container, String mountPath) {
        for (JsonNode mount : container.path("volumeMounts")) {
            if (mount.path("mountPath").asText().equals(mountPath)) {
                return mount;
            }
        }
        throw new AssertionError("nothing is mounted at " + mountPath);
    }

    private static JsonNode volume(String manifest, String name) {
        for (JsonNode volume : podSpec(manifest).path("volumes")) {
            if (volume.path("name").asText().equals(name)) {
                return volume;
            }
        }
        throw new AssertionError("no volume " + name);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
