package io.govip.lab;

import java.util.List;
import java.util.Locale;

/**
 * Draws the client's view of failovers as an SVG picture: for each failure a panel with two bars over a common
 * time axis (seconds, 0 = the moment the failure was injected): which node answered the client (colour per node,
 * grey when nobody did), and which node's kernel held the VIP (red would mean two at once). Hand-written SVG, no
 * library: the picture is a few hundred rectangles.
 */
public final class FailoverSvg {

    /**
     * One failure. Segment times are relative to the event (negative before it).
     *
     * @param title      e.g. "holder SIGKILL: node2 → node3, client outage 3 210 ms"
     * @param eventLabel what happened at 0, e.g. "SIGKILL node2"
     */
    public record Panel(String title, String eventLabel, List<Segment> answers, List<Segment> holders) {
    }

    static final int WIDTH = 960;
    static final int LEFT = 150;
    static final int RIGHT = 24;
    static final int MARGIN = 20;
    static final int BAR_HEIGHT = 22;
    static final int PANEL_HEIGHT = 128;
    static final int TOP = 78;
    static final String NONE_COLOUR = "#c8c8c8";
    static final String SPLIT_COLOUR = "#d62728";
    private static final String[] NODE_COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b"};

    private FailoverSvg() {
    }

    public static String render(String title, List<Panel> panels, double fromSeconds, double toSeconds) {
        if (!(toSeconds > fromSeconds)) {
            throw new IllegalArgumentException("empty time window " + fromSeconds + " .. " + toSeconds);
        }
        int height = TOP + panels.size() * PANEL_HEIGHT + 10;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, height, WIDTH,
                height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, height));
        svg.append(String.format(Locale.ROOT,
                "<text x=\"%d\" y=\"24\" font-size=\"16\" font-weight=\"bold\">%s</text>%n", MARGIN, escape(title)));
        legend(svg);
        for (int i = 0; i < panels.size(); i++) {
            panel(svg, panels.get(i), TOP + i * PANEL_HEIGHT, fromSeconds, toSeconds);
        }
        return svg.append("</svg>\n").toString();
    }

    private static void legend(StringBuilder svg) {
        List<String[]> entries = List.of(new String[] {"node1", colour("node1")},
                new String[] {"node2", colour("node2")}, new String[] {"node3", colour("node3")},
                new String[] {"no answer / no holder", NONE_COLOUR},
                new String[] {"two holders (never expected)", SPLIT_COLOUR});
        int x = MARGIN;
        for (String[] entry : entries) {
            svg.append(String.format(Locale.ROOT, "<rect class=\"legend\" x=\"%d\" y=\"38\" width=\"14\" height=\"14\" "
                    + "fill=\"%s\"/><text x=\"%d\" y=\"50\">%s</text>%n", x, entry[1], x + 19, escape(entry[0])));
            x += 19 + 7 * entry[0].length() + 24;
        }
    }

    private static void panel(StringBuilder svg, Panel panel, int top, double from, double to) {
        svg.append(String.format(Locale.ROOT,
                "<g class=\"panel\">%n<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>%n", MARGIN, top + 4,
                escape(panel.title())));
        int clientY = top + 14;
        int vipY = clientY + BAR_HEIGHT + 6;
        bar(svg, "client answered by", panel.answers(), clientY, from, to);
        bar(svg, "VIP held by", panel.holders(), vipY, from, to);
        int axisY = vipY + BAR_HEIGHT + 4;
        axis(svg, axisY, from, to);
        double eventX = x(0, from, to);
        if (eventX >= LEFT && eventX <= WIDTH - RIGHT) {
            svg.append(String.format(Locale.ROOT, "<line class=\"event\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" "
                    + "stroke=\"black\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>%n", eventX, clientY - 4, eventX,
                    axisY));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\">%s</text>%n",
                    eventX + 4, axisY + 28, escape(panel.eventLabel())));
        }
        svg.append("</g>\n");
    }

    private static void bar(StringBuilder svg, String label, List<Segment> segments, int y, double from, double to) {
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n", LEFT - 8,
                y + BAR_HEIGHT / 2 + 4, escape(label)));
        for (Segment segment : segments) {
            double start = Math.max(seconds(segment.from()), from);
            double end = Math.min(seconds(segment.to()), to);
            if (end <= start) {
                continue;
            }
            double x1 = x(start, from, to);
            double x2 = x(end, from, to);
            svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
                    + "<title>%s %.2f s to %.2f s</title></rect>%n", x1, y, Math.max(x2 - x1, 0.5), BAR_HEIGHT,
                    colour(segment.value()), escape(segment.value()), seconds(segment.from()), seconds(segment.to())));
        }
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" "
                + "stroke=\"#555\" stroke-width=\"0.5\"/>%n", LEFT, y, WIDTH - LEFT - RIGHT, BAR_HEIGHT));
    }

    private static void axis(StringBuilder svg, int y, double from, double to) {
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
                LEFT, y, WIDTH - RIGHT, y));
        double step = tickStep(to - from);
        for (double tick = Math.ceil(from / step) * step; tick <= to + 1e-9; tick += step) {
            double x = x(tick, from, to);
            svg.append(String.format(Locale.ROOT, "<line class=\"tick\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" "
                    + "stroke=\"black\"/><text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"11\">%s</text>%n",
                    x, y, x, y + 4, x, y + 15, tickLabel(tick, step)));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"11\">"
                + "time (s)</text>%n", LEFT - 16, y + 15));
    }

    /** 0.5 s ticks up to a 5 s window, 1 s up to 12 s, then 2 s. */
    static double tickStep(double span) {
        return span <= 5 ? 0.5 : span <= 12 ? 1 : 2;
    }

    private static String tickLabel(double tick, double step) {
        double rounded = Math.abs(tick) < 1e-9 ? 0 : tick;
        return step < 1 ? String.format(Locale.ROOT, "%.1f", rounded) : String.format(Locale.ROOT, "%.0f", rounded);
    }

    private static double x(double seconds, double from, double to) {
        return LEFT + (seconds - from) / (to - from) * (WIDTH - LEFT - RIGHT);
    }

    private static double seconds(java.time.Duration duration) {
        return duration.toNanos() / 1e9;
    }

    /** Node names get fixed colours (node1 blue, node2 orange, node3 green); nobody grey; several holders red. */
    static String colour(String value) {
        if (value.contains("+")) {
            return SPLIT_COLOUR;
        }
        if (value.startsWith("node")) {
            try {
                int number = Integer.parseInt(value.substring(4));
                return NODE_COLOURS[(number - 1) % NODE_COLOURS.length];
            } catch (NumberFormatException notANode) {
                return NONE_COLOUR;
            }
        }
        return NONE_COLOUR;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
