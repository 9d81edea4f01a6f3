package io.govip.manifest;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Writes a string as a YAML scalar that reads back as that same string: plain when safe, else double-quoted. */
final class YamlScalar {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z/_.-][A-Za-z0-9/_.:,=+@-]*");
    private static final Pattern NUMBER_LIKE = Pattern.compile("[-+.]?[0-9].*|\\.(inf|nan|Inf|NaN|INF|NAN)");
    private static final Set<String> RESERVED = Set.of("true", "false", "yes", "no", "on", "off", "null", "y", "n",
            "~", "-", "---", "...");

    private YamlScalar() {
    }

    static String of(String value) {
        boolean plain = PLAIN.matcher(value).matches() && !NUMBER_LIKE.matcher(value).matches()
                && !RESERVED.contains(value.toLowerCase(Locale.ROOT)) && !value.endsWith(":")
                && !value.startsWith("- ");
        return plain ? value : quoted(value);
    }

    private static String quoted(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
