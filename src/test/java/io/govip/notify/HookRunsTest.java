package io.govip.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HookRunsTest {

    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<String> ran = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        executor.shutdownNow();
    }

    @Test
    void oneRunPerKindAtATimeAndOnlyTheNewestWaitingEventRunsNext() throws InterruptedException {
        CountDownLatch firstStarted = new CountDownLatch(1);
        HookRuns runs = new HookRuns(executor, event -> {
            synchronized (ran) {
                ran.add(event.state() + " " + event.reason());
            }
            if (event.reason().equals("first")) {
                firstStarted.countDown();
                await(release);
            }
            return true;
        });

        runs.submit(new HookEvent("LEADER", "CANDIDATE", "first"));
        assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
        runs.submit(new HookEvent("LEADER", "CANDIDATE", "second"));
        runs.submit(new HookEvent("LEADER", "CANDIDATE", "third"));
        runs.submit(new HookEvent("CANDIDATE", "LEADER", "other kind"));
        awaitRuns(2);
        synchronized (ran) {
            assertThat(ran).containsExactlyInAnyOrder("LEADER first", "CANDIDATE other kind");
        }

        release.countDown();
        awaitIdle(runs);

        synchronized (ran) {
            assertThat(ran).containsExactlyInAnyOrder("LEADER first", "CANDIDATE other kind", "LEADER third");
        }
    }

    @Test
    void theEnvironmentCarriesTheEventAndTheMember() {
        HookEvent event = new HookEvent("FENCED", "LEADER", "no keep-alive answered");

        assertThat(event.environment(Map.of("GOVIP_MEMBER", "node1", "GOVIP_VIP", "203.0.113.10/32",
                "GOVIP_INTERFACE", "eth0"))).containsOnly(
                        Map.entry("GOVIP_STATE", "FENCED"),
                        Map.entry("GOVIP_PREVIOUS_STATE", "LEADER"),
                        Map.entry("GOVIP_REASON", "no keep-alive answered"),
                        Map.entry("GOVIP_MEMBER", "node1"),
                        Map.entry("GOVIP_VIP", "203.0.113.10/32"),
                        Map.entry("GOVIP_INTERFACE", "eth0"));
    }

    private void awaitRuns(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() - deadline < 0) {
            synchronized (ran) {
                if (ran.size() >= count) {
                    return;
                }
            }
            Thread.sleep(10);
        }
    }

    private static void awaitIdle(HookRuns runs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (runs.busy() && System.nanoTime() - deadline < 0) {
            Thread.sleep(10);
        }
        assertThat(runs.busy()).isFalse();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
