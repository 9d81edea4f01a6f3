package io.govip.vip;

/** What the state machine wants the kernel to show: the VIP held until a deadline, or no VIP. */
public sealed interface VipIntent {

    /** Hold the VIP; the kernel must not keep it past {@code deadlineNanos} (monotonic clock). */
    record Hold(long deadlineNanos) implements VipIntent {
    }

    record Release() implements VipIntent {
    }

    VipIntent RELEASE = new Release();
}
