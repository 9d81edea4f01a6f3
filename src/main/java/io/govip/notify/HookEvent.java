package io.govip.notify;

import java.util.HashMap;
import java.util.Map;

/**
 * One change a hook hears of. {@code kind} is what the hook runs for (the new role, or CHECKS_FAILING and
 * CHECKS_PASSING): at most one run per kind at a time.
 *
 * @param state         the new role (LEADER, CANDIDATE, FENCED, DISCONNECTED, STOPPING) or the checks' new verdict
 * @param previousState the role or verdict before
 * @param reason        why, in the words of the log line
 */
public record HookEvent(String state, String previousState, String reason) {

    String kind() {
        return state;
    }

    /** The variables the hook gets besides these, which describe this member: VIP, interface, member. */
    Map<String, String> environment(Map<String, String> member) {
        Map<String, String> environment = new HashMap<>(member);
        environment.put("GOVIP_STATE", state);
        environment.put("GOVIP_PREVIOUS_STATE", previousState);
        environment.put("GOVIP_REASON", reason);
        return Map.copyOf(environment);
    }
}
