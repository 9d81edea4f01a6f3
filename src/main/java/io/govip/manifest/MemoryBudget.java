package io.govip.manifest;

/**
 * The memory a govip is given, derived from what it was measured to use, so that a change of footprint changes one
 * number here.
 */
final class MemoryBudget {

    /**
     * Steady resident memory of one govip JVM: the largest VmRSS in the README's benchmark run ("Benchmark", steady
     * RSS at the end of the run: 131068 KiB, 128 MiB), with a 64 MiB heap cap.
     */
    static final int STEADY_RESIDENT_MIB = 128;

    /** What the scheduler reserves: the steady footprint. */
    static final int REQUEST_MIB = STEADY_RESIDENT_MIB;

    /**
     * The OOM-kill line: twice the steady footprint. The heap may grow to its cap, Netty's direct buffers and thread
     * stacks grow under load, and the in-memory /tmp (up to 16 MiB) is charged to the container too; an OOM kill
     * is survivable (the kernel deletes the VIP at its lifetime's end) but costs a failover.
     */
    static final int LIMIT_MIB = 2 * STEADY_RESIDENT_MIB;

    /** A CPU request without limit: CFS throttling could stall lease renewals and cost the VIP. */
    static final String CPU_REQUEST = "50m";

    private MemoryBudget() {
    }
}
