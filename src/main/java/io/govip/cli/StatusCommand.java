package io.govip.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Client;
import io.govip.election.ElectionKeys;
import io.govip.election.ElectionView;
import io.govip.election.Standing;
import io.govip.election.StandingRecords;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** "govip status": who leads, who waits, how long their leases have left. Exit 0 with a leader, 9 without. */
@Command(name = "status", sortOptions = false,
        description = {"Shows the election: the leader, the candidates in order and their lease time left, and "
                + "which member records holding the VIP; with service checks or priorities, each member's checks and "
                + "priority, and the members whose failing checks keep them out; with fast failover, where each member "
                + "hears heartbeats and whom the holder counts as allowed to revoke its lease.",
                "Exit code 0 when a leader exists, 9 when none, 5/6/7 when etcd cannot be read."})
public class StatusCommand extends EtcdClientCommand {

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            converter = EnumConverter.OutputFormats.class, description = "text or json. Default: ${DEFAULT-VALUE}")
    OutputFormat output;

    @Override
    ExitCode run(Client client, String electionName) throws Exception {
        ElectionView view = ElectionView.read(client, new ElectionKeys(electionName), timeout);
        // One record per member, beside the election under -name, also for the members of its groups.
        Map<String, Standing> standings = new StandingRecords(client, etcd.electionName()).read()
                .get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        FastFailoverRecords fast = FastFailoverRecords.read(client, electionName, timeout);
        PrintWriter out = spec.commandLine().getOut();
        out.print(StatusReport.render(view, standings, fast, output));
        out.flush();
        return view.leader().isPresent() ? ExitCode.OK : ExitCode.NO_LEADER;
    }
}
