package io.govip.notify;

import java.util.HashMap;
import java.util.Map;

/**
 * One change a hook hears of. {@code kind} is what the hook runs for (the new role of a group, or CHECKS_FAILING and
 * CHECKS_PASSING): at most one run per kind at a time.
 *
 * @param state         the new role (LEADER, CANDIDATE, FENCED, DISCONNECTED, STOPPING) or the checks' new verdict
 * @param previousState the role or verdict before
 * @param reason        why, in the words of the log line
 * @param group         the --vip-group whose role changed, or empty for the addresses of -vip and for the checks,
 *                      which concern the whole process
 */
public record HookEvent(String state, String previousState, String reason, String group) {

    /** A change that concerns no group. */
    public HookEvent(String state, String previousState, String reason) {
        this(state, previousState, reason, "");
    }

    String kind() {
        return group.isEmpty() ? state : group + "/" + state;
    }

    /** For the log: the state, and the group it concerns. */
    String describe() {
        return group.isEmpty() ? state : state + " of group " + group;
    }

    /** The variables the hook gets besides these, which describe this member (VIP, interface, member). */
    Map<String, String> environment(Map<String, String> member) {
        Map<String, String> environment = new HashMap<>(member);
        environment.put("GOVIP_STATE", state);
        environment.put("GOVIP_PREVIOUS_STATE", previousState);
        environment.put("GOVIP_REASON", reason);
        if (!group.isEmpty()) {
            environment.put("GOVIP_GROUP", group);
        }
        return Map.copyOf(environment);
    }
}
