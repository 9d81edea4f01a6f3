package io.govip.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CommandWordsTest {

    @Test
    void wordsAreSplitAtSpacesAndQuotesKeepThemTogetherWithoutAnyExpansion() {
        assertThat(CommandWords.split("  pgrep -x haproxy ")).containsExactly("pgrep", "-x", "haproxy");
        assertThat(CommandWords.split("sh -c 'curl -fs http://127.0.0.1/ && test $HOME'"))
                .containsExactly("sh", "-c", "curl -fs http://127.0.0.1/ && test $HOME");
        assertThat(CommandWords.split("echo \"a b\" c\\ d '' *")).containsExactly("echo", "a b", "c d", "", "*");
    }

    @Test
    void anUnterminatedQuoteIsRefused() {
        assertThatThrownBy(() -> CommandWords.split("sh -c 'exit 0")).hasMessage("has an unterminated single quote");
        assertThatThrownBy(() -> CommandWords.split("echo \\")).hasMessage("ends with a lone backslash");
    }
}
