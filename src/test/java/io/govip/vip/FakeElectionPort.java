package io.govip.vip;

import java.util.ArrayList;
import java.util.List;

import io.govip.election.Candidate;
import io.govip.election.ElectionPort;
import io.govip.election.RevokersRecord;

/** Records what the state machine asked of etcd; completes withdraw, release, resign and revoke at once. */
final class FakeElectionPort implements ElectionPort {

    final List<String> calls = new ArrayList<>();

    @Override
    public void grantLease() {
        calls.add("grant");
    }

    @Override
    public void startKeepAlives(long leaseId) {
        calls.add("keepalive " + Long.toHexString(leaseId));
    }

    @Override
    public void stopKeepAlives() {
        calls.add("stop keepalive");
    }

    @Override
    public void campaign(long leaseId, long campaign) {
        calls.add("campaign " + campaign);
    }

    @Override
    public void observe(long leaseId) {
        calls.add("observe");
    }

    @Override
    public void withdraw(long leaseId, Runnable done) {
        calls.add("withdraw");
        done.run();
    }

    @Override
    public void publishHolder(Candidate self) {
        calls.add("publish holder");
    }

    @Override
    public void releaseHolder(long leaseId, Runnable done) {
        calls.add("release holder");
        done.run();
    }

    @Override
    public void readElection(long leaseId) {
        calls.add("read");
    }

    @Override
    public void resign(Candidate self, Runnable done) {
        calls.add("resign " + self.key());
        done.run();
    }

    @Override
    public void revoke(long leaseId, Runnable done) {
        calls.add("revoke " + Long.toHexString(leaseId));
        done.run();
    }

    @Override
    public void publishRevokers(Candidate self, RevokersRecord record, long expectedModRevision) {
        calls.add("publish revokers " + record.revokers() + " if at " + expectedModRevision);
    }

    @Override
    public void deleteLeaderKey(long ownLease, Candidate leader, long revokersModRevision) {
        calls.add("delete leader key " + leader.key() + " if revokers at " + revokersModRevision);
    }

    @Override
    public void revokeLeaseOf(long ownLease, long otherLease) {
        calls.add("revoke lease of " + Long.toHexString(otherLease));
    }

    @Override
    public void close() {
        calls.add("close");
    }

    String last() {
        return calls.getLast();
    }
}
