package io.govip.address;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Addresses as operators write them: IPv6 in the canonical form of RFC 5952 ("2001:db8::200"), where Java's
 * {@link InetAddress#getHostAddress()} spells out every group ("2001:db8:0:0:0:0:0:200").
 */
public final class AddressText {

    private AddressText() {
    }

    /** "198.51.100.10/24", "2001:db8::200/128". */
    public static String of(CidrAddress address) {
        return of(address.address()) + "/" + address.prefixLength();
    }

    public static String of(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        byte[] bytes = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (Byte.toUnsignedInt(bytes[2 * i]) << 8) | Byte.toUnsignedInt(bytes[2 * i + 1]);
        }
        // RFC 5952 4.2: "::" replaces the longest run of two or more zero groups, the first of equal runs.
        int bestStart = -1;
        int bestLength = 1;
        for (int start = 0; start < 8; start++) {
            int length = 0;
            while (start + length < 8 && groups[start + length] == 0) {
                length++;
            }
            if (length > bestLength) {
                bestStart = start;
                bestLength = length;
            }
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
            } else {
                if (!text.isEmpty() && text.charAt(text.length() - 1) != ':') {
                    text.append(':');
                }
                text.append(Integer.toHexString(groups[i]));
            }
        }
        return text.toString();
    }
}
