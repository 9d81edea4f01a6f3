package io.govip.config;

/**
 * Characters that must not reach a log line or an etcd key from configuration: C0 and C1 controls, DEL, and the
 * Unicode line and paragraph separators, each of which can start what a reader takes for a new log line.
 */
public final class ControlCharacters {

    private ControlCharacters() {
    }

    public static boolean is(int codePoint) {
        return Character.isISOControl(codePoint) || codePoint == '\u2028' || codePoint == '\u2029';
    }

    public static boolean in(String text) {
        return text.codePoints().anyMatch(ControlCharacters::is);
    }

    /** The text with each control character written as an escape (\\n, \\t, \\u0085), so that it stays one line. */
    public static String escaped(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            switch (c) {
                case '\n' -> escaped.append("\\n");
                case '\r' -> escaped.append("\\r");
                case '\t' -> escaped.append("\\t");
                default -> {
                    if (is(c)) {
                        escaped.append(String.format("\\u%04x", c));
                    } else {
                        escaped.appendCodePoint(c);
                    }
                }
            }
        });
        return escaped.toString();
    }
}
