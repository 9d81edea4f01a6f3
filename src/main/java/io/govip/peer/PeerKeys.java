package io.govip.peer;

/**
 * Where the peer network keeps its records in etcd, beside the election: "&lt;name&gt;.peer-key" (the shared
 * heartbeat key) and "&lt;name&gt;.peers/&lt;member&gt;" (each member's endpoint). Never under "&lt;name&gt;/":
 * the election recipe, the original govip and "etcdctl elect" count every key there as a candidate.
 */
public record PeerKeys(String name) {

    public String heartbeatKey() {
        return name + ".peer-key";
    }

    public String endpointPrefix() {
        return name + ".peers/";
    }

    public String endpointKey(String member) {
        return endpointPrefix() + member;
    }
}
