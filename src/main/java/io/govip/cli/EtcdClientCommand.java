package io.govip.cli;

import java.time.Duration;
import java.util.concurrent.Callable;

import io.etcd.jetcd.Client;
import io.govip.config.EtcdSettings;
import io.govip.config.InvalidOptionException;
import io.govip.election.ElectionKeys;
import io.govip.etcd.EtcdClients;
import io.govip.etcd.EtcdFailure;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** A short-lived etcd client command: connects with the daemon's etcd options, acts, maps failures to exit codes. */
abstract class EtcdClientCommand implements Callable<Integer> {

    private static final Duration SHORTEST_TIMEOUT = Duration.ofMillis(100);
    private static final Duration LONGEST_TIMEOUT = Duration.ofHours(1);

    @Mixin
    EtcdOptions etcd = new EtcdOptions();

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
            description = "Give up after this long, 100ms to 1h. Default: ${DEFAULT-VALUE}")
    Duration timeout;

    @Option(names = "--group", paramLabel = "NAME",
            description = "The election of this --vip-group instead of the one under -name")
    String group;

    @Option(names = {"-h", "-help", "--help"}, usageHelp = true, description = "Show this help and exit")
    boolean helpRequested;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() {
        DaemonTiming.requireBetween("--timeout", timeout, SHORTEST_TIMEOUT, LONGEST_TIMEOUT);
        validate();
        String electionName = group == null ? etcd.electionName()
                : ElectionKeys.ofGroup(etcd.electionName(), VipGroups.groupName("--group", group, group)).name();
        EtcdSettings settings = etcd.toSettings((LayeredDefaults) spec.defaultValueProvider());
        try (Client client = EtcdClients.create(settings)) {
            return run(client, electionName).code();
        } catch (InvalidOptionException e) {
            throw e;
        } catch (Exception e) {
            EtcdFailure failure = EtcdFailure.of(e);
            System.err.println("govip " + spec.name() + ": " + failure.description());
            return switch (failure.kind()) {
                case UNAVAILABLE, AUTH_TOKEN_EXPIRED -> ExitCode.ETCD_UNREACHABLE.code();
                case TLS, CLOSED_BY_ENDPOINT -> ExitCode.ETCD_TLS_MISMATCH.code();
                case AUTHENTICATION, PERMISSION -> ExitCode.ETCD_AUTH_FAILED.code();
                default -> ExitCode.INTERNAL_ERROR.code();
            };
        }
    }

    /** Checks this command's own options before anything connects to etcd. */
    void validate() {
    }

    abstract ExitCode run(Client client, String electionName) throws Exception;
}
