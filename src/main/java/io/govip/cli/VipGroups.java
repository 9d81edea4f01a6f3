package io.govip.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.govip.config.GovipConfig.Vip;
import io.govip.config.GovipConfig.VipGroup;
import io.govip.config.GovipConfig.VipSettings;
import io.govip.config.InvalidOptionException;

/**
 * Reads the --vip-group values, each {@code NAME=ADDRESS/PREFIX[@INTERFACE][,...]}: every group is an election of
 * its own. The groups are checked as a whole, across groups too (an address in two groups would be held by two
 * nodes at once), before anything touches the kernel, so a bad one adds none.
 */
final class VipGroups {

    static final String OPTION = "--vip-group";

    /** An RFC 1123 label in lower case, as Kubernetes names are: it becomes part of etcd keys and metric labels. */
    private static final String DNS_LABEL = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?";

    private VipGroups() {
    }

    static VipSettings parse(List<String> values, String defaultInterface, Duration spread) {
        List<String> items = values.stream().map(String::strip).filter(item -> !item.isEmpty()).toList();
        if (items.size() > VipSettings.MAX_GROUPS) {
            throw new InvalidOptionException(OPTION, items.getFirst() + " ... (" + items.size() + " groups)",
                    "at most " + VipSettings.MAX_GROUPS + " groups per govip");
        }
        Set<String> names = new HashSet<>();
        List<VipGroup> groups = new ArrayList<>();
        List<Vip> all = new ArrayList<>();
        for (String item : items) {
            VipGroup group = group(item, defaultInterface, all);
            if (!names.add(group.name())) {
                throw new InvalidOptionException(OPTION, item, "names group \"" + group.name() + "\" twice");
            }
            groups.add(group);
            all.addAll(group.addresses());
            if (all.size() > VipSettings.MAX_GROUPED_ADDRESSES) {
                throw new InvalidOptionException(OPTION, item, "at most " + VipSettings.MAX_GROUPED_ADDRESSES
                        + " addresses in all groups together");
            }
        }
        return new VipSettings(groups, defaultInterface, spread);
    }

    /** A group's name as --vip-group or a client command's --group gives it. */
    static String groupName(String option, String value, String name) {
        if (!name.matches(DNS_LABEL)) {
            throw new InvalidOptionException(option, value, "group name is not a DNS label (1-63 lower-case letters, "
                    + "digits and '-', starting and ending with a letter or digit)");
        }
        return name;
    }

    private static VipGroup group(String item, String defaultInterface, List<Vip> earlierGroups) {
        int equals = item.indexOf('=');
        if (equals < 0) {
            throw new InvalidOptionException(OPTION, item, "must be NAME=ADDRESS/PREFIX[,...]");
        }
        String name = groupName(OPTION, item, item.substring(0, equals).strip());
        List<String> addresses = List.of(item.substring(equals + 1).split(",", -1)).stream().map(String::strip)
                .toList();
        if (addresses.stream().anyMatch(String::isEmpty)) {
            throw new InvalidOptionException(OPTION, item, "lists an empty address (a group needs at least one)");
        }
        if (addresses.size() > VipSettings.MAX_ADDRESSES) {
            throw new InvalidOptionException(OPTION, item, "at most " + VipSettings.MAX_ADDRESSES
                    + " addresses per group");
        }
        List<Vip> vips = new ArrayList<>();
        for (String address : addresses) {
            Vip vip = VipList.vip(OPTION, item, address, defaultInterface);
            for (Vip earlier : earlierGroups) {
                VipList.requireDistinct(OPTION, item, vip.address(), earlier.address());
            }
            for (Vip earlier : vips) {
                VipList.requireDistinct(OPTION, item, vip.address(), earlier.address());
            }
            vips.add(vip);
        }
        return new VipGroup(name, vips);
    }
}
