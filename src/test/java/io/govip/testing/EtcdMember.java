package io.govip.testing;

import java.util.List;
import java.util.Optional;

/**
 * One member of an {@link EtcdCluster}, running on a lab node: its etcd process plus the failures a test can inject
 * into it. Stop, kill and start act on the process; cut and heal act on the node's network.
 */
public final class EtcdMember {

    private final EtcdServer server;
    private final LabHost host;
    private final PortCut cut;
    private volatile boolean isCut;

    EtcdMember(EtcdServer server, LabHost host, List<Integer> etcdPorts) {
        this.server = server;
        this.host = host;
        this.cut = new PortCut(host.namespace(), host.interfaceName(), etcdPorts);
    }

    /** "etcd1" for the member on node1. */
    public String name() {
        return server.name();
    }

    public LabHost host() {
        return host;
    }

    public EtcdServer server() {
        return server;
    }

    /** Its client URL on the lab network, e.g. "http://198.51.100.11:2379". */
    public String endpoint() {
        return server.endpoints();
    }

    /** SIGTERM, SIGKILL after a grace period. */
    public void stop() {
        server.stop();
    }

    /** SIGKILL. */
    public void kill() {
        server.kill();
    }

    /**
     * Starts it again on its data directory, under its name: it rejoins and catches up. Waits until healthy, which
     * takes a quorum: with a majority of members down or cut, this fails after {@link EtcdServer#START_TIMEOUT}.
     */
    public void start() {
        server.start();
    }

    public boolean isRunning() {
        return server.isRunning();
    }

    /** Drops its etcd traffic (client and peer ports, both directions) on the lab network; see {@link PortCut}. */
    public synchronized void cut() {
        if (!isCut) {
            cut.cut();
            isCut = true;
        }
    }

    public synchronized void heal() {
        if (isCut) {
            cut.heal();
            isCut = false;
        }
    }

    public boolean isCut() {
        return isCut;
    }

    /**
     * What this member says about the raft group, asked over loopback on its own node (so a cut member answers
     * too); empty when it does not answer within etcdctl's short timeouts.
     */
    Optional<EtcdStatus> status() {
        if (!isRunning()) {
            return Optional.empty();
        }
        CommandResult result = server.etcdctl().run("endpoint", "status", "-w", "fields");
        return result.exitCode() == 0 ? EtcdStatus.parse(result.stdout()) : Optional.empty();
    }

    @Override
    public String toString() {
        return name() + "@" + host.name();
    }
}
