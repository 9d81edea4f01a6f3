package io.govip.vip;

import java.time.Duration;

import io.govip.fence.FenceException;

/** The kernel switches of every VIP this member holds, opened and shut together: the VIPs move together. */
public interface KernelSwitch {

    /** Opens every switch for {@code timeout} from the moment the kernel applies it. */
    void openFor(Duration timeout) throws FenceException;

    /** Shuts every switch at once. */
    void shut() throws FenceException;
}
