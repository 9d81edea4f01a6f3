package io.govip.simulation;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One node's connection to etcd, each direction on its own: a message is delivered after a random delay or lost.
 * Faults cut a direction, make it lossy or slow, each for a while. TCP would
 * deliver a delayed message rather than lose it, except when the connection breaks; losing it is the harsher case,
 * and the timeouts govip puts on every call turn both into the same failure.
 */
final class NetworkPath {

    /** One direction of the path; each fault undoes only its own effect when it ends, so faults may overlap. */
    static final class Direction {
        private int cuts;
        private final List<Double> losses = new ArrayList<>();
        private final List<Long> slowdowns = new ArrayList<>();
        private final List<int[]> deadTurns = new ArrayList<>();

        /** Cuts this direction; the returned action ends this cut. */
        Runnable cut() {
            cuts++;
            return () -> cuts--;
        }

        Runnable lossy(double probability) {
            Double loss = probability;
            losses.add(loss);
            return () -> losses.remove(loss);
        }

        Runnable slow(long maxDelay) {
            Long slowdown = maxDelay;
            slowdowns.add(slowdown);
            return () -> slowdowns.remove(slowdown);
        }

        /**
         * One of {@code endpoints} etcd members is dead and the client's round-robin gives it every
         * {@code endpoints}-th message, starting with the {@code firstTurn}-th: those vanish.
         */
        Runnable deadEndpoint(int endpoints, int firstTurn) {
            int[] rotation = {endpoints, endpoints - firstTurn};
            deadTurns.add(rotation);
            return () -> deadTurns.remove(rotation);
        }

        boolean healthy() {
            return cuts == 0 && losses.isEmpty() && slowdowns.isEmpty() && deadTurns.isEmpty();
        }

        boolean drops(Random random) {
            boolean toTheDeadEndpoint = false;
            for (int[] rotation : deadTurns) {
                toTheDeadEndpoint |= rotation[1]++ % rotation[0] == 0;
            }
            return cuts > 0 || toTheDeadEndpoint || losses.stream().anyMatch(loss -> random.nextDouble() < loss);
        }

        private long slowdown() {
            return slowdowns.stream().mapToLong(Long::longValue).max().orElse(0);
        }
    }

    final Direction toEtcd = new Direction();
    final Direction toNode = new Direction();
    private final Simulator sim;
    private final Random random;

    NetworkPath(Simulator sim, Random random) {
        this.sim = sim;
        this.random = random;
    }

    void sendToEtcd(Runnable delivery) {
        send(toEtcd, delivery);
    }

    void sendToNode(Runnable delivery) {
        send(toNode, delivery);
    }

    boolean healthy() {
        return toEtcd.healthy() && toNode.healthy();
    }

    private void send(Direction direction, Runnable delivery) {
        if (direction.drops(random)) {
            return;
        }
        sim.after(delay(random, direction), delivery);
    }

    /** Mostly a LAN round trip's half; now and then a garbage-collection or scheduling pause on either side. */
    static long delay(Random random, Direction direction) {
        long delay = 200_000 + random.nextLong(2 * Simulator.MILLI);
        if (random.nextInt(50) == 0) {
            delay += random.nextLong(150 * Simulator.MILLI);
        }
        long slowdown = direction.slowdown();
        if (slowdown > 0) {
            delay += random.nextLong(slowdown);
        }
        return delay;
    }
}
