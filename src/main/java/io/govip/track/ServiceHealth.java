package io.govip.track;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** What the checks say of the service behind the VIP, at one moment: healthy only when every check passes. */
public record ServiceHealth(List<CheckStatus> checks) {

    /** Without checks the service is not tracked, and counts as healthy. */
    public static final ServiceHealth UNTRACKED = new ServiceHealth(List.of());

    public ServiceHealth {
        checks = List.copyOf(checks);
    }

    public boolean healthy() {
        return checks.stream().allMatch(CheckStatus::up);
    }

    public boolean tracked() {
        return !checks.isEmpty();
    }

    /** In words for the log and the state machine's reason: which checks fail and why, or that all pass. */
    public String summary() {
        if (healthy()) {
            return checks.size() == 1 ? "check " + checks.getFirst().name() + " passes"
                    : "all " + checks.size() + " checks pass";
        }
        return checks.stream().filter(check -> !check.up())
                .map(check -> "check " + check.name() + " fails (" + check.last().detail() + ")")
                .collect(Collectors.joining(", "));
    }

    ServiceHealth with(int index, CheckStatus status) {
        List<CheckStatus> changed = new ArrayList<>(checks);
        changed.set(index, status);
        return new ServiceHealth(changed);
    }
}
