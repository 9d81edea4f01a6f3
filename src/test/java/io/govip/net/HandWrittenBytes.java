package io.govip.net;

import java.util.HexFormat;

/** Expected bytes written out by hand, one commented field per argument. */
final class HandWrittenBytes {

    private HandWrittenBytes() {
    }

    /** Concatenates hex fields; spaces inside a field are ignored. */
    static byte[] hex(String... fields) {
        return HexFormat.of().parseHex(String.join("", fields).replace(" ", ""));
    }
}
