package io.govip.lab;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where the driver talks to a person. On a terminal, a live line is redrawn in place with a carriage return and
 * narration is printed above it; elsewhere (a log file, CI) the live line is printed only when what it shows
 * changes, so that the output stays short and readable.
 */
final class Terminal {

    private final PrintStream out;
    private final boolean interactive;
    private boolean liveOnScreen;
    private String lastKey;

    Terminal(PrintStream out, boolean interactive) {
        this.out = out;
        this.interactive = interactive;
    }

    /**
     * Standard output; interactive when src/lab/govip-lab says it is a terminal (-Dgovip.lab.interactive: the driver
     * runs as a background job there, its input is not the terminal), else when the console is one.
     */
    static Terminal system() {
        String told = System.getProperty("govip.lab.interactive");
        java.io.Console console = System.console();
        boolean interactive = told != null ? Boolean.parseBoolean(told) : console != null && console.isTerminal();
        return new Terminal(System.out, interactive);
    }

    boolean interactive() {
        return interactive;
    }

    synchronized void say(String text) {
        clearLive();
        out.println(text);
        out.flush();
    }

    /** Shows the live line: redrawn on a terminal, printed when {@code key} changed otherwise. */
    synchronized void live(String key, String text) {
        if (interactive) {
            out.print("\r" + text + "\033[K");
            out.flush();
            liveOnScreen = true;
        } else if (!key.equals(lastKey)) {
            out.println(text);
            out.flush();
        }
        lastKey = key;
    }

    synchronized void endLive() {
        clearLive();
        lastKey = null;
    }

    private void clearLive() {
        if (liveOnScreen) {
            out.print("\r\033[K");
            liveOnScreen = false;
        }
    }

    /** The live line's text: "  12.3 s | client answered by node2     | VIP on node2". */
    static String liveLine(Duration elapsed, Optional<String> answer, Optional<Set<String>> holders) {
        String client = answer.map(node -> node.equals("none") ? "client: no answer" : "client answered by " + node)
                .orElse("client: probing...");
        String vip = holders.map(set -> switch (set.size()) {
            case 0 -> "VIP on no node";
            case 1 -> "VIP on " + set.iterator().next();
            default -> "VIP on " + String.join(" AND ", new java.util.TreeSet<>(set)) + " (!)";
        }).orElse("VIP: sampling...");
        return String.format(Locale.ROOT, "  %6.1f s | %-25s | %s", elapsed.toMillis() / 1000.0, client, vip);
    }

    /** What the live line shows, without the clock: the line is reprinted off a terminal only when this changes. */
    static String liveKey(Optional<String> answer, Optional<Set<String>> holders) {
        return answer.orElse("?") + "|" + holders.map(HolderHistory::label).orElse("?");
    }
}
