package io.govip.fence;

import java.time.Duration;

import io.govip.address.CidrAddress;

/**
 * Run by tests in a child JVM. {@code install <vip>}, on a host made to lack something (a capability, the library):
 * tries to install a switch and prints how it failed, as "ExceptionClass: message"; exit 0 when it failed, 3 when it
 * unexpectedly succeeded. {@code open <vip> <milliseconds>}: installs and opens a switch, prints "open", and waits
 * to be killed (exit 3 after a minute, should nobody do it).
 */
public final class SwitchProbe {

    private static final Duration PATIENCE = Duration.ofMinutes(1);

    private SwitchProbe() {
    }

    public static void main(String[] args) throws InterruptedException {
        CidrAddress vip = CidrAddress.parse(args[1]);
        try {
            switch (args[0]) {
                case "install" -> VipSwitch.install(vip).close();
                case "open" -> {
                    VipSwitch.install(vip).openFor(Duration.ofMillis(Long.parseLong(args[2])));
                    System.out.println("open");
                    Thread.sleep(PATIENCE);
                }
                default -> throw new IllegalArgumentException(args[0]);
            }
        } catch (FenceException e) {
            System.out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
            System.exit(0);
        }
        System.exit(3);
    }
}
