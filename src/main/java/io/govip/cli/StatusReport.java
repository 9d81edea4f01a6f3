package io.govip.cli;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import io.govip.election.ElectionView;

/** Writes what "govip status" found: a table for people, or one JSON object for scripts. */
final class StatusReport {

    private static final JsonFactory JSON = new JsonFactory();

    private StatusReport() {
    }

    static String render(ElectionView view, OutputFormat format) {
        return switch (format) {
            case TEXT -> text(view);
            case JSON -> json(view);
        };
    }

    private static String text(ElectionView view) {
        StringBuilder text = new StringBuilder("election " + view.name() + ": ");
        if (view.candidates().isEmpty()) {
            return text.append("no candidates, no leader\n").toString();
        }
        text.append(view.candidates().size()).append(view.candidates().size() == 1 ? " candidate\n" : " candidates\n");
        int width = view.candidates().stream().mapToInt(entry -> entry.candidate().member().length()).max().orElse(0);
        boolean first = true;
        for (ElectionView.Entry entry : view.candidates()) {
            text.append(String.format("  %-9s  %-" + width + "s  lease %-16s  ttl %ss  key %s%n",
                    first ? "LEADER" : "candidate", entry.candidate().member(),
                    Long.toHexString(entry.candidate().leaseId()), entry.ttlSeconds(), entry.candidate().key()));
            first = false;
        }
        text.append(view.holder().map(holder -> "VIP held by " + holder + "\n")
                .orElse("VIP holder not recorded (none yet, or an original govip leads)\n"));
        return text.toString();
    }

    private static String json(ElectionView view) {
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
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory failed", e);
        }
        return out.append('\n').toString();
    }

    private static void writeNullable(JsonGenerator json, String field, String value) throws IOException {
        if (value == null) {
            json.writeNullField(field);
        } else {
            json.writeStringField(field, value);
        }
    }
}
