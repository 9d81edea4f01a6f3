package io.govip.lab;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Median, 90th percentile and maximum of a handful of measurements. Percentiles interpolate linearly between the
 * two nearest ranks (the usual "type 7" definition, numpy's default): with 5 values the p90 lies between the 4th
 * and the 5th, 60 % of the way to the 5th.
 */
public record Stats(int count, double min, double median, double p90, double max) {

    public static Stats of(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.removeIf(value -> value == null || value.isNaN());
        Collections.sort(sorted);
        if (sorted.isEmpty()) {
            return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return new Stats(sorted.size(), sorted.getFirst(), percentile(sorted, 50), percentile(sorted, 90),
                sorted.getLast());
    }

    /** The {@code p}th percentile of ascending {@code sorted} values, interpolated between neighbouring ranks. */
    static double percentile(List<Double> sorted, double p) {
        double rank = p / 100.0 * (sorted.size() - 1);
        int below = (int) Math.floor(rank);
        int above = (int) Math.ceil(rank);
        double fraction = rank - below;
        return sorted.get(below) + fraction * (sorted.get(above) - sorted.get(below));
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** A figure as the tables print it: whole units, or "-" when there was nothing to measure. */
    public static String format(double value) {
        return Double.isNaN(value) ? "-" : String.format(java.util.Locale.ROOT, "%.0f", value);
    }

    public Map<String, Object> toJson() {
        return Json.object("n", count, "min", round(min), "median", round(median), "p90", round(p90),
                "max", round(max));
    }

    private static Double round(double value) {
        return Double.isNaN(value) ? null : Math.round(value * 10) / 10.0;
    }
}
