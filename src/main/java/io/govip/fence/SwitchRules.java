package io.govip.fence;

import java.util.HexFormat;
import java.util.List;

import io.govip.address.AddressText;
import io.govip.address.CidrAddress;

/**
 * The nft commands that make up one VIP's switch, in nft's own syntax. Each method returns the whole text of one
 * transaction: libnftables sends it to the kernel as a single batch, which takes effect at once or not at all.
 *
 * <p>Per table: a set {@code open} that holds, while the switch is open, exactly one element (the VIP) with a
 * timeout, and base chains that drop what concerns the VIP unless that element is there. The kernel ignores an
 * element whose timeout has passed on every lookup, so the switch shuts by itself, to the millisecond, whether the
 * process that opened it is running, frozen or dead. The tables deliberately outlive the process (no {@code owner}
 * flag): a switch that vanished with its process would let the VIP answer again.
 *
 * <p>The tables are named after the VIP, so that a restarted govip replaces what its predecessor left, and two
 * VIPs on one host have tables of their own.
 */
final class SwitchRules {

    /**
     * Below every priority netfilter has a name for (the lowest, raw before defragmentation, is -450): the switch
     * sees a packet before any other filter could act on it, count it or answer for it.
     */
    private static final int PRIORITY = -1000;
    private static final String SET = "open";

    /** One table: the family, and the body that goes between its braces. */
    private record Table(String family, String body) {
    }

    private final String name;
    private final String element;
    private final List<Table> tables;

    private SwitchRules(String name, String element, List<Table> tables) {
        this.name = name;
        this.element = element;
        this.tables = tables;
    }

    static SwitchRules forVip(CidrAddress vip) {
        String address = AddressText.of(vip.address());
        String name = "govip-" + address.replace(':', '_');
        return vip.isIpv6() ? ipv6(name, address, vip.bytes()) : ipv4(name, address);
    }

    /**
     * IPv4 needs two tables: ARP is not seen by the inet family's hooks, and a set belongs to one table, so the arp
     * table carries its own copy of the set. Every transaction below changes both alike.
     */
    private static SwitchRules ipv4(String name, String vip) {
        Table inet = new Table("inet", set("type ipv4_addr")
                // Traffic to the VIP: connections, pings, anything a client sends to it.
                + chain("input", "ip daddr " + vip + " ip daddr != @" + SET + " drop")
                // Traffic from the VIP: answers (SYN-ACK, RST, echo replies, ICMP errors) and connections it starts.
                + chain("output", "ip saddr " + vip + " ip saddr != @" + SET + " drop"));
        Table arp = new Table("arp", set("type ipv4_addr")
                // Requests for the VIP: unanswered, neighbours cannot resolve it to this node.
                + chain("input", "arp operation request arp daddr ip " + vip + " arp daddr ip != @" + SET + " drop")
                // ARP with the VIP as sender (replies, and requests the kernel makes from it): neighbours would
                // learn the VIP from them. govip's own gratuitous ARP leaves through a packet socket, which no
                // netfilter hook sees: the announcer must check the switch itself.
                + chain("output", "arp saddr ip " + vip + " arp saddr ip != @" + SET + " drop"));
        return new SwitchRules(name, vip, List.of(inet, arp));
    }

    /**
     * IPv6 needs one table: neighbour discovery is ICMPv6 and passes the inet hooks. nft 1.0.6 has no name for the
     * target address of a neighbour solicitation or advertisement, and a set lookup needs a key of the set's own
     * type; so the set's key is 128 raw bits, and every lookup reads the VIP as raw bits where the packet has it:
     * bits 192-319 of the IPv6 header (destination), bits 64-191 (source), bits 64-191 of the ICMPv6 message
     * (the target).
     */
    private static SwitchRules ipv6(String name, String vip, byte[] bytes) {
        String raw = "0x" + HexFormat.of().formatHex(bytes);
        Table inet = new Table("inet", set("typeof @th,64,128")
                // Traffic to the VIP.
                + chain("input", "ip6 daddr " + vip + " @nh,192,128 != @" + SET + " drop",
                        // Solicitations for the VIP: those that resolve it go to its solicited-node multicast
                        // address, which the rule above does not see; unanswered, neighbours cannot resolve it.
                        "icmpv6 type nd-neighbor-solicit @th,64,128 " + raw + " @th,64,128 != @" + SET + " drop")
                // Traffic from the VIP, which includes the advertisements the kernel sends from it.
                + chain("output", "ip6 saddr " + vip + " @nh,64,128 != @" + SET + " drop",
                        // Advertisements for the VIP sent from another source address of this node.
                        "icmpv6 type nd-neighbor-advert @th,64,128 " + raw + " @th,64,128 != @" + SET + " drop"));
        return new SwitchRules(name, raw, List.of(inet));
    }

    private static String set(String key) {
        return "  set " + SET + " { " + key + "; flags timeout; }\n";
    }

    private static String chain(String hook, String... rules) {
        StringBuilder chain = new StringBuilder("  chain " + hook + " {\n    type filter hook " + hook + " priority "
                + PRIORITY + "; policy accept;\n");
        for (String rule : rules) {
            chain.append("    ").append(rule).append('\n');
        }
        return chain.append("  }\n").toString();
    }

    /**
     * Creates the tables, closed, replacing any a predecessor left. A table is declared before it is deleted so
     * that the delete cannot fail for want of one, and declared again with its content: one transaction, so the VIP
     * is never unguarded in between.
     */
    String install() {
        StringBuilder commands = new StringBuilder();
        for (Table table : tables) {
            commands.append(declare(table)).append(delete(table)).append("table ").append(table.family()).append(' ')
                    .append(name).append(" {\n").append(table.body()).append("}\n");
        }
        return commands.toString();
    }

    /**
     * Puts the VIP back into each set with this timeout, in whole milliseconds. Adding an element that is already
     * there does not renew its timeout on every kernel, so each set is flushed first: the old element stays
     * visible to packets until the transaction commits, and the new one from then on.
     */
    String openFor(long milliseconds) {
        StringBuilder commands = new StringBuilder();
        for (Table table : tables) {
            commands.append(flush(table)).append("add element ").append(table.family()).append(' ').append(name)
                    .append(' ').append(SET).append(" { ").append(element).append(" timeout ").append(milliseconds)
                    .append("ms }\n");
        }
        return commands.toString();
    }

    /** Empties each set: the VIP is dropped from the moment the transaction commits. */
    String shut() {
        StringBuilder commands = new StringBuilder();
        for (Table table : tables) {
            commands.append(flush(table));
        }
        return commands.toString();
    }

    /** Deletes the tables, also when they are already gone. */
    String remove() {
        StringBuilder commands = new StringBuilder();
        for (Table table : tables) {
            commands.append(declare(table)).append(delete(table));
        }
        return commands.toString();
    }

    /** One command per table that deletes it, each failing alone when its table is not there. */
    List<String> deleteEach() {
        return tables.stream().map(this::delete).toList();
    }

    private String declare(Table table) {
        return "add table " + table.family() + ' ' + name + '\n';
    }

    private String delete(Table table) {
        return "delete table " + table.family() + ' ' + name + '\n';
    }

    private String flush(Table table) {
        return "flush set " + table.family() + ' ' + name + ' ' + SET + '\n';
    }
}
