package io.govip.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.govip.cli.Cli;
import io.govip.cli.ExitCode;
import io.govip.cli.LayeredDefaults;
import picocli.CommandLine.Model.OptionSpec;

/** The README's options and exit-code tables say what the application does: every option, its variable, its codes. */
class ReadmeTest {

    private static final String README = Repository.text("README.md");

    @Test
    void everyOptionHasARowWithItsEnvironmentVariableAndDefault() {
        for (OptionSpec option : Cli.commandLine(LayeredDefaults.load(new String[0], Map.of())).getCommandSpec()
                .options()) {
            if (option.usageHelp()) {
                continue;
            }
            String row = row(option.longestName());
            for (String name : option.names()) {
                assertThat(row).as("README row of " + option.longestName()).contains("`" + name + "`");
            }
            if (!option.versionHelp()) {
                assertThat(row).contains("`" + LayeredDefaults.environmentName(LayeredDefaults.fileKey(option)) + "`");
            }
            if (option.defaultValue() != null) {
                assertThat(row).as("default of " + option.longestName()).contains("`" + option.defaultValue() + "`");
            }
        }
    }

    @Test
    void theExitCodeTableSaysWhatTheCodeAndTheHelpSay() {
        for (ExitCode code : ExitCode.values()) {
            Matcher row = Pattern.compile("(?m)^\\| " + code.code() + " \\| (.*) \\|$").matcher(README);
            assertThat(row.find()).as("a README row for exit code " + code.code()).isTrue();
            assertThat(row.group(1).replace("`", "")).as("README meaning of exit code " + code.code())
                    .isEqualTo(code.meaning());
        }
    }

    @Test
    void theTwoCommandsAtTheTopAreTheDemoAndTheTestSuiteCiRuns() {
        List<String> commands = README.lines().filter(line -> line.startsWith("src/lab/") || line.startsWith(". src/"))
                .limit(2).toList();

        assertThat(commands).containsExactly("src/lab/govip-lab demo", ". src/lab/prepare-machine && ./mvnw -B verify");
        assertThat(Repository.text(".ci/run")).contains(". src/lab/prepare-machine", "./mvnw -B verify");
    }

    private static String row(String longName) {
        Matcher matcher = Pattern.compile("(?m)^\\|[^\\n]*`" + Pattern.quote(longName) + "`[^\\n]*$").matcher(README);
        assertThat(matcher.find()).as("a README table row for " + longName).isTrue();
        return matcher.group();
    }
}
