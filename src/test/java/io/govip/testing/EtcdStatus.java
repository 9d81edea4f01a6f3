package io.govip.testing;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One member's view of the raft group, from "etcdctl endpoint status -w fields". Ids are unsigned 64-bit. */
record EtcdStatus(long memberId, long leaderId) {

    private static final Pattern MEMBER = field("MemberID");
    private static final Pattern LEADER = field("Leader");

    boolean isLeader() {
        return memberId == leaderId;
    }

    static Optional<EtcdStatus> parse(String fields) {
        Matcher member = MEMBER.matcher(fields);
        Matcher leader = LEADER.matcher(fields);
        if (!member.find() || !leader.find()) {
            return Optional.empty();
        }
        return Optional.of(new EtcdStatus(Long.parseUnsignedLong(member.group(1)),
                Long.parseUnsignedLong(leader.group(1))));
    }

    private static Pattern field(String name) {
        return Pattern.compile("^\"" + name + "\" : (\\d+)$", Pattern.MULTILINE);
    }
}
