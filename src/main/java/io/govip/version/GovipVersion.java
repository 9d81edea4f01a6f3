package io.govip.version;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import picocli.CommandLine.IVersionProvider;

/** The version stamped into the build by Maven resource filtering. */
public final class GovipVersion implements IVersionProvider {

    public static String version() {
        Properties properties = new Properties();
        try (InputStream in = GovipVersion.class.getResourceAsStream("/govip-version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return properties.getProperty("version", "unknown");
    }

    @Override
    public String[] getVersion() {
        return new String[] {"govip " + version() + " (Java " + Runtime.version().feature() + ")"};
    }
}
