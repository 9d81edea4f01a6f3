package io.govip.vip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.govip.fence.FenceException;

/** Rule 4 at the kernel: the switch never stays open past the state machine's deadline P. */
class SwitchRefresherTest {

    private static final long MS = 1_000_000L;
    private static final Duration INTERVAL = Duration.ofMillis(100);

    private final AtomicLong clock = new AtomicLong(1_000 * MS);
    private final List<String> calls = new ArrayList<>();
    private long callTakes;

    private final KernelSwitch kernel = new KernelSwitch() {
        @Override
        public void openFor(Duration timeout) {
            clock.addAndGet(callTakes);
            calls.add("open " + timeout.toMillis());
        }

        @Override
        public void shut() {
            calls.add("shut");
        }
    };

    private final SwitchRefresher refresher = new SwitchRefresher(kernel, clock::get, INTERVAL);

    @Test
    void opensForThreeIntervalsAtMostAndLeavesTheCallMarginBeforeTheDeadline() {
        refresher.refresh(clock.get(), OptionalLong.of(clock.get() + 1_000 * MS));
        refresher.shutNow();
        calls.clear();
        refresher.refresh(clock.get(), OptionalLong.of(clock.get() + 200 * MS));

        assertThat(calls).containsExactly("open 190");
    }

    @Test
    void skipsAnExtensionWhileTheSwitchStaysOpenLongEnoughButNeverAShortening() throws FenceException {
        long now = clock.get();
        refresher.refresh(now, OptionalLong.of(now + 1_000 * MS));
        refresher.refresh(now + 50 * MS, OptionalLong.of(now + 1_000 * MS));
        refresher.refresh(now + 60 * MS, OptionalLong.of(now + 150 * MS));

        assertThat(calls).containsExactly("open 300", "open 80");
    }

    @Test
    void shutsWhenTheDeadlinePassedOrIsGone() {
        long now = clock.get();
        refresher.refresh(now, OptionalLong.of(now + 1_000 * MS));

        assertThat(refresher.refresh(now + 10 * MS, OptionalLong.empty())).isEmpty();
        assertThat(calls).containsExactly("open 300", "shut");
    }

    @Test
    void aCallThatReachedTheKernelLateIsFollowedByAShut() {
        callTakes = 50 * MS;
        long now = clock.get();

        OptionalLong openUntil = refresher.refresh(now, OptionalLong.of(now + 200 * MS));

        assertThat(openUntil).isEmpty();
        assertThat(calls).containsExactly("open 190", "shut");
    }
}
