package io.govip.packaging;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough PromQL reading to know which series and labels a query depends on. It relies on a convention the
 * project's rules and dashboard keep (and {@link #bareMetricNames} checks): every metric is written with a selector.
 */
final class PromQl {

    /** A metric with its label matchers, as in {@code govip_vip_moves_total{direction="acquired"}}. */
    record Selector(String metric, List<LabelMatcher> matchers) {
    }

    /** One label matcher; {@code operator} is =, !=, =~ or !~. */
    record LabelMatcher(String label, String operator, String value) {

        /** A literal equality the exposition must contain, not a regex or a dashboard variable. */
        boolean isLiteralEquality() {
            return operator.equals("=") && !value.contains("$");
        }
    }

    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{([^}]*)}");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"([^\"]*)\"");
    private static final Pattern GROUPING = Pattern.compile(
            "\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)");
    private static final Pattern LEGEND_LABEL = Pattern.compile("\\{\\{\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*}}");
    private static final Pattern PROJECT_METRIC = Pattern.compile(
            "\\b(?:govip|process|jvm)_[a-zA-Z0-9_]*\\b(?!\\s*\\{)");

    private PromQl() {
    }

    static List<Selector> selectors(String query) {
        List<Selector> selectors = new ArrayList<>();
        Matcher selector = SELECTOR.matcher(query);
        while (selector.find()) {
            List<LabelMatcher> matchers = new ArrayList<>();
            Matcher matcher = MATCHER.matcher(selector.group(2));
            while (matcher.find()) {
                matchers.add(new LabelMatcher(matcher.group(1), matcher.group(2), matcher.group(3)));
            }
            selectors.add(new Selector(selector.group(1), matchers));
        }
        return selectors;
    }

    /** Labels named in by, without, on, ignoring, group_left and group_right clauses. */
    static Set<String> groupingLabels(String query) {
        Set<String> labels = new LinkedHashSet<>();
        Matcher grouping = GROUPING.matcher(query);
        while (grouping.find()) {
            for (String label : grouping.group(1).split(",")) {
                if (!label.isBlank()) {
                    labels.add(label.strip());
                }
            }
        }
        return labels;
    }

    /** Labels a Grafana legend format such as {@code {{member}} p99} shows. */
    static Set<String> legendLabels(String legendFormat) {
        Set<String> labels = new LinkedHashSet<>();
        Matcher label = LEGEND_LABEL.matcher(legendFormat);
        while (label.find()) {
            labels.add(label.group(1));
        }
        return labels;
    }

    /** govip_, process_ and jvm_ names written without a selector, which {@link #selectors} would miss. */
    static List<String> bareMetricNames(String query) {
        return PROJECT_METRIC.matcher(query).results().map(MatchResult::group).toList();
    }
}
