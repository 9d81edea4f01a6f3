package io.govip.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class FailoverSvgTest {

    private static final int PLOT_WIDTH = FailoverSvg.WIDTH - FailoverSvg.LEFT - FailoverSvg.RIGHT;

    @Test
    void drawsOnePanelPerFailureWithALegendAndATimeAxisInSeconds() throws Exception {
        FailoverSvg.Panel kill = new FailoverSvg.Panel("holder SIGKILL: node1 -> node2", "SIGKILL govip on node1",
                List.of(run(-1000, 1000, "node1"), run(1000, 2000, "none"), run(2000, 3000, "node2")),
                List.of(run(-1000, 900, "node1"), run(900, 2000, "none"), run(2000, 3000, "node2")));
        FailoverSvg.Panel handover = new FailoverSvg.Panel("govip handover", "handover",
                List.of(run(-1000, 500, "node2"), run(500, 3000, "node3")), List.of(run(-1000, 3000, "node3")));

        Document svg = parse(FailoverSvg.render("title <&>", List.of(kill, handover), -1, 3));

        assertThat(svg.getDocumentElement().getTagName()).isEqualTo("svg");
        assertThat(elements(svg, "g").stream().filter(g -> g.getAttribute("class").equals("panel"))).hasSize(2);
        List<Element> legend = withClass(svg, "rect", "legend");
        assertThat(legend).extracting(e -> e.getAttribute("fill")).containsExactly("#1f77b4", "#ff7f0e", "#2ca02c",
                FailoverSvg.NONE_COLOUR, FailoverSvg.SPLIT_COLOUR);
        assertThat(texts(svg)).contains("title <&>", "node1", "node2", "node3", "client answered by", "VIP held by",
                "time (s)", "-1.0", "0.0", "2.5", "3.0", "SIGKILL govip on node1");
        // 4 s window: a tick every 0.5 s, from -1 to 3, in each panel.
        assertThat(withClass(svg, "line", "tick")).hasSize(2 * 9);
        assertThat(withClass(svg, "line", "event")).hasSize(2)
                .allSatisfy(line -> assertThat(Double.parseDouble(line.getAttribute("x1")))
                        .isEqualTo(FailoverSvg.LEFT + PLOT_WIDTH / 4.0, org.assertj.core.api.Assertions.within(0.1)));
    }

    @Test
    void barsAreScaledToTheWindowAndColouredByNode() throws Exception {
        FailoverSvg.Panel panel = new FailoverSvg.Panel("p", "e",
                List.of(run(-1000, 1000, "node1"), run(1000, 2000, "none"), run(2000, 5000, "node2")),
                List.of(run(-1000, 3000, "node1+node2")));

        Document svg = parse(FailoverSvg.render("t", List.of(panel), -1, 3));

        List<Element> bars = elements(svg, "rect").stream().filter(rect -> rect.getElementsByTagName("title")
                .getLength() == 1).toList();
        assertThat(bars).extracting(rect -> rect.getAttribute("fill")).containsExactly("#1f77b4",
                FailoverSvg.NONE_COLOUR, "#ff7f0e", FailoverSvg.SPLIT_COLOUR);
        Element first = bars.getFirst();
        assertThat(Double.parseDouble(first.getAttribute("x"))).isEqualTo(FailoverSvg.LEFT);
        assertThat(Double.parseDouble(first.getAttribute("width"))).isCloseTo(PLOT_WIDTH / 2.0,
                org.assertj.core.api.Assertions.within(0.1));
        // node2's run from 2 s to 5 s is cut at the window's end, 3 s.
        Element clipped = bars.get(2);
        assertThat(Double.parseDouble(clipped.getAttribute("x")) + Double.parseDouble(clipped.getAttribute("width")))
                .isCloseTo(FailoverSvg.WIDTH - FailoverSvg.RIGHT, org.assertj.core.api.Assertions.within(0.2));
    }

    @Test
    void ticksWidenWithTheWindow() {
        assertThat(FailoverSvg.tickStep(4)).isEqualTo(0.5);
        assertThat(FailoverSvg.tickStep(9)).isEqualTo(1);
        assertThat(FailoverSvg.tickStep(13)).isEqualTo(2);
    }

    @Test
    void coloursAreFixedPerNode() {
        assertThat(FailoverSvg.colour("node1")).isEqualTo("#1f77b4");
        assertThat(FailoverSvg.colour("node3")).isEqualTo("#2ca02c");
        assertThat(FailoverSvg.colour("none")).isEqualTo(FailoverSvg.NONE_COLOUR);
        assertThat(FailoverSvg.colour("node1+node3")).isEqualTo(FailoverSvg.SPLIT_COLOUR);
    }

    @Test
    void anEmptyWindowIsRefused() {
        assertThatThrownBy(() -> FailoverSvg.render("t", List.of(), 2, 2)).isInstanceOf(
                IllegalArgumentException.class);
    }

    static Segment run(long fromMillis, long toMillis, String value) {
        return new Segment(Duration.ofMillis(fromMillis), Duration.ofMillis(toMillis), value, 1);
    }

    static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    static List<Element> elements(Document document, String tag) {
        NodeList nodes = document.getElementsByTagName(tag);
        List<Element> elements = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            elements.add((Element) nodes.item(i));
        }
        return elements;
    }

    private static List<Element> withClass(Document document, String tag, String className) {
        return elements(document, tag).stream().filter(e -> e.getAttribute("class").equals(className)).toList();
    }

    static List<String> texts(Document document) {
        return elements(document, "text").stream().map(Element::getTextContent).toList();
    }
}
