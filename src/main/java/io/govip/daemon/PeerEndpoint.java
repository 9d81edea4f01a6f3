package io.govip.daemon;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.List;

import io.govip.address.AddressText;
import io.govip.address.CidrAddress;
import io.govip.config.FastFailoverSettings;
import io.govip.config.GovipConfig.Vip;
import io.govip.config.GovipConfig.VipSettings;
import io.govip.config.InvalidOptionException;
import io.govip.net.AddressService;
import io.govip.peer.PeerAddress;

/**
 * Where this member hears its peers: --peer-address, or else the first global address of the first VIP's interface
 * with that VIP's family that is no VIP. Refused when there is none, so that fast failover never runs deaf.
 */
public final class PeerEndpoint {

    private PeerEndpoint() {
    }

    public static InetSocketAddress resolve(FastFailoverSettings settings, VipSettings vips, AddressService kernel) {
        if (settings.peerAddress().isPresent()) {
            return new InetSocketAddress(settings.peerAddress().get(), settings.peerPort());
        }
        Vip first = vips.addresses().getFirst();
        List<InetAddress> vipAddresses = vips.addresses().stream().map(vip -> vip.address().address()).toList();
        List<CidrAddress> onInterface = kernel.findLink(first.interfaceName()).map(kernel::addresses)
                .orElse(List.<CidrAddress>of()).stream()
                .filter(address -> !vipAddresses.contains(address.address())).toList();
        return PeerAddress.choose(onInterface, first.address())
                .map(address -> new InetSocketAddress(address, settings.peerPort()))
                .orElseThrow(() -> new InvalidOptionException("--peer-address", "", "none given, and interface "
                        + first.interfaceName() + " has no global " + (first.address().isIpv6() ? "IPv6" : "IPv4")
                        + " address besides the VIPs for heartbeats: give one"));
    }

    /** Binds the heartbeat socket once and lets it go, so that a taken port is a clear error before start-up. */
    public static void requireFree(InetSocketAddress endpoint) {
        try (DatagramChannel channel = DatagramChannel.open()) {
            channel.bind(endpoint);
        } catch (IOException e) {
            String detail = String.valueOf(e.getMessage());
            throw new InvalidOptionException("--peer-port", endpoint.getPort(), detail.contains("in use")
                    ? "UDP port " + endpoint.getPort() + " is already in use on " + AddressText.of(
                            endpoint.getAddress()) + " (another govip?)"
                    : "cannot listen on " + AddressText.of(endpoint.getAddress()) + " (" + detail + ")");
        }
    }
}
