package io.govip.cli;

import java.util.List;

import io.govip.config.InvalidOptionException;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns picocli's complaints into govip's one-line errors. No argument is echoed unless it is an option's name or
 * the value of a known option: an unknown option may be followed by a secret ("--password s3cret"), and a stray word
 * may be one.
 */
final class UsageErrors {

    private static final String SEE_HELP = " (see govip --help)";

    private UsageErrors() {
    }

    static CommandLineFailure of(ParameterException problem) {
        if (problem.getCause() instanceof InvalidOptionException fromEnvironmentOrFile) {
            return new CommandLineFailure(ExitCode.INVALID_CONFIGURATION, fromEnvironmentOrFile.getMessage());
        }
        if (problem instanceof UnmatchedArgumentException unmatched) {
            return new CommandLineFailure(ExitCode.USAGE, unmatched(unmatched.getUnmatched()) + SEE_HELP);
        }
        if (problem.getArgSpec() instanceof OptionSpec option && problem.getValue() != null
                && problem.getCause() != null) {
            InvalidOptionException invalid = new InvalidOptionException(option.names()[0], problem.getValue(),
                    problem.getCause().getMessage());
            return problem.getCause() instanceof ValueOutOfRangeException
                    ? new CommandLineFailure(ExitCode.INVALID_CONFIGURATION, invalid.getMessage())
                    : new CommandLineFailure(ExitCode.USAGE, invalid.getMessage() + SEE_HELP);
        }
        return new CommandLineFailure(ExitCode.USAGE, problem.getMessage() + SEE_HELP);
    }

    private static String unmatched(List<String> arguments) {
        String first = arguments.getFirst();
        if (first.startsWith("-")) {
            int equals = first.indexOf('=');
            return "unknown option " + (equals < 0 ? first : first.substring(0, equals));
        }
        return "unexpected argument: govip takes options, or one of the commands status, handover and version";
    }
}
