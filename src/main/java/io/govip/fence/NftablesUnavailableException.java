package io.govip.fence;

/**
 * This host cannot run the switch at all: libnftables is not installed, or the kernel has no nf_tables. Fast
 * failover must then refuse to start rather than run without its kernel-side fence; any other
 * {@link FenceException} is a failure of one operation on a host that has nftables.
 */
public final class NftablesUnavailableException extends FenceException {

    public NftablesUnavailableException(String message) {
        super(message);
    }
}
