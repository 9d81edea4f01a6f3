package io.govip.fence;

import io.govip.address.CidrAddress;

/**
 * Run by tests in a child JVM on a host made to lack something (a capability, the library): tries to install a
 * switch and prints how it failed, as "ExceptionClass: message". Exit 0 when it failed, 3 when it unexpectedly
 * succeeded.
 */
public final class SwitchProbe {

    private SwitchProbe() {
    }

    /** {@code <vip>}. */
    public static void main(String[] args) {
        try (VipSwitch fence = VipSwitch.install(CidrAddress.parse(args[0]))) {
            System.out.println("installed " + fence.vip());
        } catch (FenceException e) {
            System.out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
            System.exit(0);
        }
        System.exit(3);
    }
}
