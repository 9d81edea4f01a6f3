package io.govip.cli;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import io.govip.election.ElectionView;
import io.govip.election.Standing;

/** Writes what "govip status" found: a table for people, or one JSON object for scripts. */
final class StatusReport {

    private static final JsonFactory JSON = new JsonFactory();

    private StatusReport() {
    }

    static String render(ElectionView view, OutputFormat format) {
        return render(view, Map.of(), format);
    }

    /**
     * With the members' {@link Standing} records: each candidate's checks and priority, and the members whose checks
     * keep them out of the election. Members without a record (no checks, no priority) show as before.
     */
    static String render(ElectionView view, Map<String, Standing> standings, OutputFormat format) {
        return render(view, standings, FastFailoverRecords.NONE, format);
    }

    /** With fast failover's records too, when members run it: where they hear heartbeats, whom the holder counts. */
    static String render(ElectionView view, Map<String, Standing> standings, FastFailoverRecords fast,
            OutputFormat format) {
        return switch (format) {
            case TEXT -> text(view, standings) + fastFailoverText(fast);
            case JSON -> json(view, standings, fast);
        };
    }

    private static String fastFailoverText(FastFailoverRecords fast) {
        if (!fast.inUse()) {
            return "";
        }
        return "fast failover: heartbeats at " + fast.peers().entrySet().stream()
                .map(peer -> peer.getKey() + " " + peer.getValue()).collect(Collectors.joining(", "))
                + "; the holder counts as revokers: " + (fast.revokers().isEmpty() ? "none"
                        : String.join(", ", fast.revokers())) + "\n";
    }

    private static String text(ElectionView view, Map<String, Standing> standings) {
        StringBuilder text = new StringBuilder("election " + view.name() + ": ");
        if (view.candidates().isEmpty()) {
            return text.append("no candidates, no leader\n").append(notStanding(view, standings)).toString();
        }
        text.append(view.candidates().size()).append(view.candidates().size() == 1 ? " candidate\n" : " candidates\n");
        int width = view.candidates().stream().mapToInt(entry -> entry.candidate().member().length()).max().orElse(0);
        boolean first = true;
        for (ElectionView.Entry entry : view.candidates()) {
            text.append(String.format("  %-9s  %-" + width + "s  lease %-16s  ttl %ss  key %s%s%n",
                    first ? "LEADER" : "candidate", entry.candidate().member(),
                    Long.toHexString(entry.candidate().leaseId()), entry.ttlSeconds(), entry.candidate().key(),
                    Optional.ofNullable(standings.get(entry.candidate().member())).map(StatusReport::describe)
                            .map(described -> "  " + described).orElse("")));
            first = false;
        }
        text.append(view.holder().map(holder -> "VIP held by " + holder + "\n")
                .orElse("VIP holder not recorded (none yet, or an original govip leads)\n"));
        return text.append(notStanding(view, standings)).toString();
    }

    private static String describe(Standing standing) {
        return "checks " + (standing.passing() ? "passing" : "failing") + ", priority " + standing.priority();
    }

    /** The members with a record that are not in the queue: their checks fail, so they withdrew. */
    private static String notStanding(ElectionView view, Map<String, Standing> standings) {
        StringBuilder text = new StringBuilder();
        withdrawn(view, standings).forEach((member, standing) -> text.append("  not standing: ").append(member)
                .append(" (").append(describe(standing)).append(")\n"));
        return text.toString();
    }

    private static Map<String, Standing> withdrawn(ElectionView view, Map<String, Standing> standings) {
        Set<String> queued = view.candidates().stream().map(entry -> entry.candidate().member())
                .collect(Collectors.toSet());
        Map<String, Standing> withdrawn = new TreeMap<>(standings);
        withdrawn.keySet().removeAll(queued);
        return withdrawn;
    }

    private static String json(ElectionView view, Map<String, Standing> standings, FastFailoverRecords fast) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("election", view.name());
            writeNullable(json, "leader", view.leader().map(leader -> leader.member()).orElse(null));
            writeNullable(json, "holder", view.holder().orElse(null));
            json.writeArrayFieldStart("candidates");
            for (ElectionView.Entry entry : view.candidates()) {
                json.writeStartObject();
                json.writeStringField("member", entry.candidate().member());
                json.writeStringField("lease", Long.toHexString(entry.candidate().leaseId()));
                json.writeNumberField("ttlSeconds", entry.ttlSeconds());
                json.writeStringField("key", entry.candidate().key());
                json.writeNumberField("createRevision", entry.candidate().createRevision());
                Standing standing = standings.get(entry.candidate().member());
                if (standing != null) {
                    writeStanding(json, standing);
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("notStanding");
            for (Map.Entry<String, Standing> member : withdrawn(view, standings).entrySet()) {
                json.writeStartObject();
                json.writeStringField("member", member.getKey());
                writeStanding(json, member.getValue());
                json.writeEndObject();
            }
            json.writeEndArray();
            if (fast.inUse()) {
                json.writeObjectFieldStart("fastFailover");
                json.writeObjectFieldStart("peers");
                for (Map.Entry<String, String> peer : fast.peers().entrySet()) {
                    json.writeStringField(peer.getKey(), peer.getValue());
                }
                json.writeEndObject();
                json.writeArrayFieldStart("revokers");
                for (String revoker : fast.revokers()) {
                    json.writeString(revoker);
                }
                json.writeEndArray();
                json.writeEndObject();
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory failed", e);
        }
        return out.append('\n').toString();
    }

    private static void writeStanding(JsonGenerator json, Standing standing) throws IOException {
        json.writeStringField("checks", standing.passing() ? "passing" : "failing");
        json.writeNumberField("priority", standing.priority());
    }

    private static void writeNullable(JsonGenerator json, String field, String value) throws IOException {
        if (value == null) {
            json.writeNullField(field);
        } else {
            json.writeStringField(field, value);
        }
    }
}
