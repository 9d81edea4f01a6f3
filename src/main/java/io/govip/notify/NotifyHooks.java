package io.govip.notify;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.govip.config.GovipConfig;
import io.govip.config.NotifySettings;
import io.govip.track.Checks;
import io.govip.track.ServiceHealth;
import io.govip.track.SessionProcess;
import io.govip.vip.Cause;
import io.govip.vip.LeadershipObserver;
import io.govip.vip.Role;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Runs the operator's {@code --notify} command on every change of role and of the checks' verdict, like
 * keepalived's notify scripts. It only hears of changes: nothing here runs on the failover path, a hook never
 * delays the state machine, and a hook that hangs or fails costs one log line per change from working to failing.
 */
@ApplicationScoped
public class NotifyHooks implements LeadershipObserver {

    private static final Logger LOG = Logger.getLogger("io.govip");
    private static final String CHECKS_FAILING = "CHECKS_FAILING";
    private static final String CHECKS_PASSING = "CHECKS_PASSING";

    @Inject
    MeterRegistry registry;

    private final Map<String, Boolean> lastRunFailed = new ConcurrentHashMap<>();
    private volatile Optional<Running> running = Optional.empty();

    /**
     * A configured hook: what it runs, what it tells (by group: the member with that group's addresses; under the
     * empty name, with every address), and the runs in flight.
     */
    private record Running(NotifySettings.Command command, Duration timeout,
            Map<String, Map<String, String>> memberByGroup, ExecutorService executor, HookRuns runs) {
    }

    /** Starts hearing of changes when a command is configured; otherwise every event is ignored. */
    public void configure(GovipConfig config) {
        config.hooks().command().ifPresent(command -> {
            Map<String, Map<String, String>> memberByGroup = new HashMap<>();
            String member = config.election().member();
            memberByGroup.put("", member(config.vip().addresses(), member));
            config.vip().groups().forEach(group -> memberByGroup.put(group.name(),
                    member(group.addresses(), member)));
            // One thread per kind at most (HookRuns), and the kinds are the few roles and verdicts (of each group).
            ExecutorService executor = Executors.newCachedThreadPool(
                    Thread.ofPlatform().daemon().name("govip-notify-", 0).factory());
            running = Optional.of(new Running(command, config.hooks().timeout(), Map.copyOf(memberByGroup),
                    executor, new HookRuns(executor, this::run)));
        });
    }

    private static Map<String, String> member(List<GovipConfig.Vip> addresses, String member) {
        Set<String> interfaces = addresses.stream().map(GovipConfig.Vip::interfaceName)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        return Map.of(
                "GOVIP_VIP", addresses.stream().map(vip -> vip.address().toString()).collect(Collectors.joining(",")),
                "GOVIP_INTERFACE", String.join(",", interfaces),
                "GOVIP_MEMBER", member);
    }

    @Override
    public void roleChanged(Role from, Role to, Cause cause, String reason) {
        submit(new HookEvent(to.name(), from.name(), reason));
    }

    /** A group's role changes run the hook with that group's name and addresses. */
    @Override
    public LeadershipObserver ofGroup(String group) {
        return new LeadershipObserver() {
            @Override
            public void roleChanged(Role from, Role to, Cause cause, String reason) {
                submit(new HookEvent(to.name(), from.name(), reason, group));
            }
        };
    }

    /** The checks of the service behind the VIP started or stopped passing. */
    public void checksChanged(ServiceHealth health) {
        submit(new HookEvent(health.healthy() ? CHECKS_PASSING : CHECKS_FAILING,
                health.healthy() ? CHECKS_FAILING : CHECKS_PASSING, health.summary()));
    }

    /**
     * Lets the runs in flight finish (each is killed at its own timeout), so that the STOPPING hook runs and no hook
     * outlives govip.
     */
    public void close() {
        running.ifPresent(hooks -> {
            long deadline = System.nanoTime() + hooks.timeout().multipliedBy(2).toNanos();
            while (hooks.runs().busy() && System.nanoTime() - deadline < 0) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            hooks.executor().shutdownNow();
        });
    }

    private void submit(HookEvent event) {
        running.ifPresent(hooks -> hooks.runs().submit(event));
    }

    private boolean run(HookEvent event) {
        Running hooks = running.orElseThrow();
        List<String> words = new ArrayList<>(hooks.command().words());
        words.set(0, hooks.command().program().toString());
        counter("govip.hook.runs", "Runs of the --notify hook, by event", event).increment();
        String failure;
        try {
            SessionProcess.Outcome outcome = SessionProcess.run(Checks.setsid(), words,
                    event.environment(hooks.memberByGroup().get(event.group())), hooks.timeout());
            failure = outcome.exitStatus().isEmpty() ? "killed after " + hooks.timeout().toMillis() + " ms"
                    : outcome.exitStatus().get() != 0 ? "exit status " + outcome.exitStatus().get() : null;
        } catch (IOException e) {
            failure = "could not start (" + e.getMessage() + ")";
        }
        boolean failed = failure != null;
        Boolean failedBefore = lastRunFailed.put(event.kind(), failed);
        if (failed) {
            counter("govip.hook.failures", "Runs of the --notify hook that failed or timed out, by event", event)
                    .increment();
            if (!Boolean.TRUE.equals(failedBefore)) {
                LOG.warnf("notify hook for %s failed: %s (logged again only after it worked)", event.describe(),
                        failure);
            }
        } else if (Boolean.TRUE.equals(failedBefore)) {
            LOG.infof("notify hook for %s works again", event.describe());
        }
        return !failed;
    }

    private Counter counter(String name, String description, HookEvent event) {
        return Counter.builder(name).description(description).tag("event", event.state().toLowerCase(Locale.ROOT))
                .register(registry);
    }
}
