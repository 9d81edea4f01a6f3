package io.govip.cli;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import io.govip.election.ElectionKeys;

/** The --vip-group elections that exist beside an election name, found by their keys in etcd. */
final class GroupElections {

    private GroupElections() {
    }

    /** The names of the groups with any key (a candidate, a holder record) beside {@code electionName}, sorted. */
    static List<String> names(Client client, String electionName, Duration timeout) throws Exception {
        String prefix = ElectionKeys.ofGroup(electionName, "").name();
        ByteSequence start = ByteSequence.from(prefix, StandardCharsets.UTF_8);
        TreeSet<String> names = new TreeSet<>();
        client.getKVClient().get(start, GetOption.builder().isPrefix(true).withKeysOnly(true).build())
                .get(timeout.toNanos(), TimeUnit.NANOSECONDS).getKvs().forEach(kv -> {
                    String rest = kv.getKey().toString(StandardCharsets.UTF_8).substring(prefix.length());
                    // "<group>/<lease>" or "<group>.holder": a group name has neither '/' nor '.'.
                    String name = rest.split("[/.]", 2)[0];
                    if (!name.isEmpty()) {
                        names.add(name);
                    }
                });
        return List.copyOf(names);
    }
}
