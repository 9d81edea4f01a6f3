package io.govip.cli;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import io.govip.election.ElectionKeys;
import io.govip.election.RevokersRecord;
import io.govip.peer.PeerKeys;

/**
 * What etcd shows of fast failover for "govip status": where each member with fast failover hears heartbeats (the
 * peer directory, each entry on its member's lease), and whom the holder last named as allowed to revoke its lease
 * (the members it hears). Empty peers: nobody runs fast failover under this name.
 */
record FastFailoverRecords(Map<String, String> peers, List<String> revokers) {

    static FastFailoverRecords read(Client client, String electionName, Duration timeout) throws Exception {
        PeerKeys keys = new PeerKeys(electionName);
        var peersRead = client.getKVClient().get(bytes(keys.endpointPrefix()), GetOption.builder().isPrefix(true)
                .build());
        var revokersRead = client.getKVClient().get(bytes(new ElectionKeys(electionName).revokersKey()));
        Map<String, String> peers = new TreeMap<>();
        peersRead.get(timeout.toNanos(), TimeUnit.NANOSECONDS).getKvs().forEach(kv -> peers.put(
                kv.getKey().toString(StandardCharsets.UTF_8).substring(keys.endpointPrefix().length()),
                kv.getValue().toString(StandardCharsets.UTF_8)));
        Optional<RevokersRecord> record = revokersRead.get(timeout.toNanos(), TimeUnit.NANOSECONDS).getKvs().stream()
                .findFirst().flatMap(kv -> RevokersRecord.decode(kv.getValue().toString(StandardCharsets.UTF_8)));
        return new FastFailoverRecords(peers, record.map(found -> found.revokers().stream()
                .map(RevokersRecord.Revoker::member).sorted().toList()).orElse(List.of()));
    }

    static final FastFailoverRecords NONE = new FastFailoverRecords(Map.of(), List.of());

    FastFailoverRecords {
        peers = Collections.unmodifiableSortedMap(new TreeMap<>(peers));
        revokers = List.copyOf(revokers);
    }

    boolean inUse() {
        return !peers.isEmpty();
    }

    private static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }
}
