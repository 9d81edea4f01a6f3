package io.govip.net;

/**
 * How long the kernel keeps an address (IFA_CACHEINFO valid and preferred lifetime, in whole seconds). A finite
 * lifetime makes the kernel delete the address by itself when no one refreshes it: govip's dead-man's switch.
 */
public record AddressLifetime(long validSeconds, long preferredSeconds) {

    /** The kernel's "infinity" for address lifetimes. */
    public static final long INFINITE = 0xFFFF_FFFFL;

    public static final AddressLifetime FOREVER = new AddressLifetime(INFINITE, INFINITE);

    public AddressLifetime {
        if (validSeconds < 1 || validSeconds > INFINITE || preferredSeconds < 0 || preferredSeconds > validSeconds) {
            throw new IllegalArgumentException("invalid address lifetime: valid " + validSeconds + " s, preferred "
                    + preferredSeconds + " s");
        }
    }

    public static AddressLifetime ofSeconds(long seconds) {
        return new AddressLifetime(seconds, seconds);
    }
}
