package io.govip.net;

/**
 * The kernel's answer to a request (an nlmsgerr), or the status that ends a dump (NLMSG_DONE).
 *
 * @param errno  0 for success, else the positive errno
 * @param detail the kernel's extended-ack text ("prefix length is invalid"), empty when it gave none
 */
record NetlinkAck(int errno, String detail) {

    static final NetlinkAck SUCCESS = new NetlinkAck(0, "");

    boolean isSuccess() {
        return errno == 0;
    }
}
