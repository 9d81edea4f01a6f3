package io.govip.net;

import io.govip.net.ffm.ErrnoException;

/** The errno values govip meets, with the words an operator needs next to each. */
public final class Errno {

    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    public static final int ENOBUFS = 105;
    public static final int ENETDOWN = 100;
    public static final int EOPNOTSUPP = 95;
    public static final int EADDRNOTAVAIL = 99;
    public static final int ENXIO = 6;
    public static final int EMSGSIZE = 90;

    private Errno() {
    }

    /** "sendmsg: EPERM (operation not permitted: needs CAP_NET_ADMIN)": the failed call and its errno. */
    public static String describe(ErrnoException e) {
        return e.call() + ": " + describe(e.errno());
    }

    /** "EPERM (operation not permitted: needs CAP_NET_ADMIN)" and the like, for rtnetlink requests. */
    public static String describe(int errno) {
        return describe(errno, "CAP_NET_ADMIN");
    }

    /** As {@link #describe(int)}, for an operation whose EPERM means that {@code capability} is missing. */
    public static String describe(int errno, String capability) {
        return switch (errno) {
            case EPERM -> "EPERM (operation not permitted: needs " + capability + ")";
            case EACCES -> "EACCES (permission denied)";
            case ENOENT -> "ENOENT (no such entry)";
            case EINTR -> "EINTR (interrupted)";
            case EAGAIN -> "EAGAIN (try again)";
            case ENOMEM -> "ENOMEM (out of memory)";
            case EBUSY -> "EBUSY (device or resource busy)";
            case EEXIST -> "EEXIST (already exists)";
            case ENODEV -> "ENODEV (no such interface)";
            case ENXIO -> "ENXIO (no such device or address)";
            case EINVAL -> "EINVAL (invalid argument)";
            case ENOBUFS -> "ENOBUFS (no buffer space available)";
            case ENETDOWN -> "ENETDOWN (network is down)";
            case EOPNOTSUPP -> "EOPNOTSUPP (operation not supported)";
            case EADDRNOTAVAIL -> "EADDRNOTAVAIL (address not available)";
            case EMSGSIZE -> "EMSGSIZE (message too long)";
            default -> "errno " + errno;
        };
    }
}
