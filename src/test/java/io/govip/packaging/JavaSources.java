package io.govip.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** govip's own main sources, with comments removed so that only code is searched. */
final class JavaSources {

    static final Path MAIN = Path.of("src/main/java");

    private static final Pattern PACKAGE = Pattern.compile("\\bpackage\\s+([\\w.]+)\\s*;");

    /** One source file: the class it declares and its code without comments (string literals kept). */
    record Source(String className, String code) {
    }

    private JavaSources() {
    }

    static List<Source> main() {
        try (Stream<Path> files = Files.walk(MAIN)) {
            return files.filter(file -> file.toString().endsWith(".java")).sorted().map(JavaSources::read).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Source read(Path file) {
        try {
            String code = withoutComments(Files.readString(file));
            Matcher packageName = PACKAGE.matcher(code);
            String simpleName = file.getFileName().toString().replaceFirst("\\.java$", "");
            return new Source(packageName.find() ? packageName.group(1) + "." + simpleName : simpleName, code);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Drops // and block comments, leaving string, text-block and character literals untouched. */
    static String withoutComments(String source) {
        StringBuilder code = new StringBuilder(source.length());
        int i = 0;
        while (i < source.length()) {
            if (source.startsWith("//", i)) {
                i = source.indexOf('\n', i) < 0 ? source.length() : source.indexOf('\n', i);
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? source.length() : end + 2;
                code.append(' ');
            } else if (source.startsWith("\"\"\"", i)) {
                int end = source.indexOf("\"\"\"", i + 3);
                int stop = end < 0 ? source.length() : end + 3;
                code.append(source, i, stop);
                i = stop;
            } else if (source.charAt(i) == '"' || source.charAt(i) == '\'') {
                int stop = endOfLiteral(source, i);
                code.append(source, i, stop);
                i = stop;
            } else {
                code.append(source.charAt(i));
                i++;
            }
        }
        return code.toString();
    }

    private static int endOfLiteral(String source, int start) {
        char quote = source.charAt(start);
        int i = start + 1;
        while (i < source.length() && source.charAt(i) != quote && source.charAt(i) != '\n') {
            i += source.charAt(i) == '\\' ? 2 : 1;
        }
        return Math.min(i + 1, source.length());
    }

    /**
     * The text between the parenthesis at {@code open} and its matching closing one, skipping nested parentheses and
     * parentheses inside string literals.
     */
    static String balancedArguments(String code, int open) {
        int depth = 0;
        for (int i = open; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c == '"') {
                i = endOfLiteral(code, i) - 1;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return code.substring(open + 1, i);
            }
        }
        throw new IllegalArgumentException("unbalanced parentheses from offset " + open);
    }

    /** Arguments separated by the commas at nesting depth zero. */
    static List<String> splitArguments(String arguments) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < arguments.length(); i++) {
            char c = arguments.charAt(i);
            if (c == '"') {
                i = endOfLiteral(arguments, i) - 1;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(arguments.substring(start, i).strip());
                start = i + 1;
            }
        }
        if (!arguments.isBlank()) {
            parts.add(arguments.substring(start).strip());
        }
        return parts;
    }
}
