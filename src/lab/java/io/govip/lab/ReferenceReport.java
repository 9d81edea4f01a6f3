package io.govip.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * govip's figures beside keepalived's, scenario by scenario: the client's median outage of each and how many times
 * longer keepalived's was, and the ARP/NDP questions two nodes answered. Text only, unit-tested.
 */
final class ReferenceReport {

    private ReferenceReport() {
    }

    /**
     * One row per govip scenario that has a keepalived counterpart; for each variant its median outage, the ratio
     * keepalived / govip ("-" when either is missing or govip's is 0) and the two-node answers.
     */
    static String comparison(List<BenchReport.Summary> govip,
            Map<KeepalivedVariant, List<BenchReport.Summary>> references) {
        List<KeepalivedVariant> variants = List.copyOf(references.keySet());
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-33s %16s", "scenario",
                "govip ms (2-ans)"));
        for (KeepalivedVariant variant : variants) {
            header.append(String.format(Locale.ROOT, "  %28s", shortTitle(variant) + " ms (2-ans) x"));
        }
        List<String> lines = new ArrayList<>();
        lines.add(header.toString());
        lines.add("-".repeat(header.length()));
        for (BenchReport.Summary summary : govip) {
            Optional<Scenario> counterpart = ReferenceRunner.counterpart(summary.scenario());
            if (counterpart.isEmpty()) {
                continue;
            }
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-33s %16s",
                    summary.scenario().title(), cell(summary)));
            for (KeepalivedVariant variant : variants) {
                Optional<BenchReport.Summary> reference = references.get(variant).stream()
                        .filter(candidate -> candidate.scenario() == counterpart.get()).findFirst();
                row.append(String.format(Locale.ROOT, "  %28s", reference.map(r -> cell(r) + " "
                        + ratio(r.outage().median(), summary.outage().median())).orElse("not run")));
            }
            lines.add(row.toString());
        }
        return String.join("\n", lines) + "\n";
    }

    private static String shortTitle(KeepalivedVariant variant) {
        return switch (variant) {
            case ADVERT_1S -> "keepalived 1 s";
            case VRRP3_100MS -> "keepalived 0.1 s";
        };
    }

    private static String cell(BenchReport.Summary summary) {
        return Stats.format(summary.outage().median()) + " (" + summary.answeringSplits() + ")";
    }

    /** keepalived's median outage in units of govip's: "x3.1" means keepalived's clients waited 3.1 times as long. */
    static String ratio(double keepalived, double govip) {
        if (Double.isNaN(keepalived) || Double.isNaN(govip) || govip <= 0) {
            return "x-";
        }
        return String.format(Locale.ROOT, "x%.1f", keepalived / govip);
    }
}
