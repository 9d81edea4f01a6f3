package io.govip.peer;

/**
 * One heartbeat as it travels: the sending process's incarnation (random, drawn once per process) and its
 * sequence number (one more for every datagram) let a receiver refuse replays and reorderings.
 */
record Datagram(long incarnation, long sequence, Heartbeat heartbeat) {
}
