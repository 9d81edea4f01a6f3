package io.govip.cli;

import java.io.PrintWriter;
import java.util.stream.Collectors;

import io.etcd.jetcd.Client;
import io.govip.election.ElectionKeys;
import io.govip.election.ElectionView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** "govip status": who leads, who waits, how long their leases have left. Exit 0 with a leader, 9 without. */
@Command(name = "status", sortOptions = false,
        description = {"Shows the election: the leader, the candidates in order and their lease time left, and "
                + "which member records holding the VIP.",
                "Exit code 0 when a leader exists, 9 when none, 5/6/7 when etcd cannot be read."})
public class StatusCommand extends EtcdClientCommand {

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json. Default: ${DEFAULT-VALUE}")
    String output;

    @Override
    ExitCode run(Client client, String electionName) throws Exception {
        ElectionView view = ElectionView.read(client, new ElectionKeys(electionName), timeout);
        PrintWriter out = spec.commandLine().getOut();
        out.print(output.equalsIgnoreCase("json") ? json(view) : text(view));
        out.flush();
        return view.leader().isPresent() ? ExitCode.OK : ExitCode.NO_LEADER;
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
        String candidates = view.candidates().stream()
                .map(entry -> "{\"member\":" + quote(entry.candidate().member())
                        + ",\"lease\":\"" + Long.toHexString(entry.candidate().leaseId()) + "\""
                        + ",\"ttlSeconds\":" + entry.ttlSeconds()
                        + ",\"key\":" + quote(entry.candidate().key())
                        + ",\"createRevision\":" + entry.candidate().createRevision() + "}")
                .collect(Collectors.joining(","));
        return "{\"election\":" + quote(view.name())
                + ",\"leader\":" + view.leader().map(leader -> quote(leader.member())).orElse("null")
                + ",\"holder\":" + view.holder().map(StatusCommand::quote).orElse("null")
                + ",\"candidates\":[" + candidates + "]}\n";
    }

    private static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            } else if (c < 0x20) {
                quoted.append(String.format("\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }
}
