package io.govip.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command into words as a shell would split a simple command, without running a shell: spaces separate
 * words, single quotes keep everything literally, double quotes and backslashes keep spaces. Nothing is expanded:
 * no variables, globs, pipes or redirections. An operator who wants those writes {@code sh -c '...'}.
 */
final class CommandWords {

    private CommandWords() {
    }

    static List<String> split(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\\') {
                if (++i >= command.length()) {
                    throw new IllegalArgumentException("ends with a lone backslash");
                }
                word.append(command.charAt(i));
                inWord = true;
            } else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("has an unterminated " + (quote == '\'' ? "single" : "double")
                    + " quote");
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
