package io.govip.net;

import java.net.InetAddress;

/**
 * A send of a burst failed, which ended the burst. Typically the link is administratively down (ENETDOWN): announce
 * again when the link is back.
 *
 * @param address the address that was being announced
 * @param round   which announcement of the burst failed, 1 for the first
 * @param errno   the errno of the failed send
 * @param message for the log: "announce 198.51.100.200 on eth0 (1 of 5): ENETDOWN (network is down)"
 */
public record AnnouncementFailure(InetAddress address, int round, int errno, String message) {
}
