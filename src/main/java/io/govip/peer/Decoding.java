package io.govip.peer;

/** What the decoder made of a datagram: a heartbeat to check for replay, or the reason it was dropped. */
sealed interface Decoding {

    record Accepted(Datagram datagram) implements Decoding {
    }

    record Dropped(DropReason reason) implements Decoding {
    }
}
