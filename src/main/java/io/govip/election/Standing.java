package io.govip.election;

import java.io.IOException;
import java.io.StringReader;
import java.util.Optional;
import java.util.Properties;

/**
 * What a member publishes beside the election about itself: whether the checks of its service pass, and its
 * priority ({@code --priority}). Kept at "&lt;name&gt;.health/&lt;member&gt;", attached to the member's lease, so it
 * goes with the member; never under "&lt;name&gt;/", where the election recipe would count it as a candidate.
 */
public record Standing(boolean passing, int priority) {

    /** A member that publishes nothing (an original govip, or one without checks and priority) counts as this. */
    public static final Standing UNKNOWN = new Standing(true, 0);

    public String encode() {
        return "passing=" + passing + "\npriority=" + priority + "\n";
    }

    /** Reads a stored record; a value that is not one yields nothing rather than an error. */
    public static Optional<Standing> decode(String value) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(value));
            String passing = properties.getProperty("passing", "");
            if (!passing.equals("true") && !passing.equals("false")) {
                return Optional.empty();
            }
            return Optional.of(new Standing(Boolean.parseBoolean(passing),
                    Integer.parseInt(properties.getProperty("priority", "0").strip())));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
