package io.govip.testing;

import java.net.InetAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import io.govip.address.CidrAddress;
import io.govip.net.NetlinkAddressService;

/** One netlink socket per lab host, each created on a thread inside that host's namespace. */
final class NetlinkAddressReader implements AddressReader {

    private final Map<String, NetlinkAddressService> services = new ConcurrentHashMap<>();

    @Override
    public Set<InetAddress> addresses(LabHost host) {
        NetlinkAddressService service = services.computeIfAbsent(host.namespace().name(),
                name -> host.namespace().call(NetlinkAddressService::open));
        return service.findLink(host.interfaceName())
                .map(link -> service.addresses(link).stream().map(CidrAddress::address).collect(Collectors.toSet()))
                .orElse(Set.of());
    }

    @Override
    public void close() {
        services.values().forEach(NetlinkAddressService::close);
        services.clear();
    }
}
