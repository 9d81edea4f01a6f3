package io.govip.manifest;

import java.nio.file.Path;
import java.util.List;

import io.govip.config.EtcdSettings.PemFile;
import io.govip.config.EtcdSettings.TlsMaterial;
import io.govip.config.GovipConfig;
import io.govip.config.InvalidOptionException;

/**
 * {@code govip manifest KIND [--image IMAGE] [daemon options]}: validates the daemon's options as the daemon
 * would (through the daemon's own parser, with none of this shell's GOVIP_* variables), refuses the ones the
 * manifest cannot honour, and renders the manifest.
 */
public final class ManifestGenerator {

    public static final String USAGE = """
            usage: govip manifest static-pod|daemonset [--image IMAGE] [daemon options]
                   govip manifest systemd [daemon options]
            Prints a Kubernetes static pod, a DaemonSet or a systemd unit that runs govip with exactly these options.
            The member name is each node's own (the node name, or the host name under systemd); TLS files must be
            absolute paths on the nodes.""";

    /** The daemon's validation of its options, up to (not including) the checks of the local machine. */
    @FunctionalInterface
    public interface DaemonOptions {
        GovipConfig validate(List<String> args);
    }

    private final DaemonOptions daemonOptions;
    private final String defaultImage;

    public ManifestGenerator(DaemonOptions daemonOptions, String defaultImage) {
        this.daemonOptions = daemonOptions;
        this.defaultImage = defaultImage;
    }

    /** The manifest text; throws ManifestUsageException or the daemon's own validation errors. */
    public String generate(List<String> args) {
        ManifestRequest request = ManifestRequest.parse(args);
        GivenOptions given = GivenOptions.scan(request.daemonArgs());
        refuseWhatNoManifestCanHonour(given);
        GovipConfig config = daemonOptions.validate(request.daemonArgs());
        config.etcd().tls().ifPresent(ManifestGenerator::requireAbsolutePaths);
        if (request.kind().isPod()) {
            refuseWhatAPodCannotHonour(given);
            return PodManifest.render(request, request.image().orElse(defaultImage), config);
        }
        refuseWhatAUnitCannotHonour(given);
        return SystemdUnitManifest.render(request, config);
    }

    public static boolean isHelpRequest(List<String> args) {
        return args.size() == 1 && List.of("-h", "-help", "--help").contains(args.getFirst());
    }

    private static void refuseWhatNoManifestCanHonour(GivenOptions given) {
        given.value("config").ifPresent(file -> {
            throw new InvalidOptionException("--config", file, "a manifest cannot read a file on the nodes: give "
                    + "its options to govip manifest instead");
        });
        given.value("password-file").ifPresent(file -> {
            throw new InvalidOptionException("--password-file", file, "a manifest cannot carry the etcd password "
                    + "safely: use a client certificate (-cert, -key), or add the password file to the output by hand");
        });
        for (String flag : List.of("version", "h", "help")) {
            if (given.has(flag)) {
                throw new ManifestUsageException("-" + (flag.length() > 1 ? "-" : "") + flag
                        + " asks for an answer, not a daemon: it has no place in a manifest");
            }
        }
    }

    /** The unit's sandbox leaves one directory writable: its runtime directory, the default --state-dir. */
    private static void refuseWhatAUnitCannotHonour(GivenOptions given) {
        given.value("state-dir").filter(dir -> !dir.isEmpty() && !Path.of(dir).normalize().equals(
                Path.of(SystemdUnitManifest.RUNTIME_DIRECTORY))).ifPresent(dir -> {
                    throw new InvalidOptionException("--state-dir", dir, "the unit's sandbox (ProtectSystem=strict) "
                            + "makes only its runtime directory " + SystemdUnitManifest.RUNTIME_DIRECTORY
                            + " writable: leave the default, or give an empty value for none");
                });
    }

    private static void refuseWhatAPodCannotHonour(GivenOptions given) {
        given.value("member").ifPresent(member -> {
            throw new InvalidOptionException("-member", member, "a pod manifest runs on every node, and each "
                    + "member needs its own name: the pod takes it from the node name (spec.nodeName)");
        });
        given.value("management-host").filter(host -> !List.of("0.0.0.0", "::", "[::]").contains(host.strip()))
                .ifPresent(host -> {
                    throw new InvalidOptionException("--management-host", host, "the kubelet probes the pod's "
                            + "address, which is the node's: listen on 0.0.0.0 (the default) or ::");
                });
    }

    private static void requireAbsolutePaths(TlsMaterial tls) {
        requireAbsolute(tls.authorities());
        tls.client().ifPresent(client -> {
            requireAbsolute(client.certificate());
            requireAbsolute(client.key());
        });
    }

    private static void requireAbsolute(PemFile file) {
        if (!file.path().isAbsolute()) {
            throw new InvalidOptionException(file.option(), file.path(), "a manifest needs an absolute path on the "
                    + "nodes (kubeadm's are in " + HostFiles.KUBEADM_ETCD_PKI + ")");
        }
    }
}
