package io.govip.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.govip.manifest.KubeadmFiles;
import io.govip.manifest.ManifestGenerator;

/** govip manifest systemd against the unit in src/main/systemd: the same sandbox, with the options built in. */
class SystemdManifestTest {

    private static final List<String> OPTIONS = List.of(
            "-etcd", "https://198.51.100.11:2379,https://198.51.100.12:2379",
            "-cacert", KubeadmFiles.CA, "-cert", KubeadmFiles.CERT, "-key", KubeadmFiles.KEY,
            "-vip", "203.0.113.10/32", "-vif", "eth0", "-name", "/govip/50% $HOME/");
    /** What the two units may set differently: how options and files reach govip. */
    private static final Set<String> HOW_OPTIONS_ARRIVE = Set.of("ExecStart", "LoadCredential", "Environment",
            "EnvironmentFile");
    private static final String SERVICE = "Service";
    private static final Pattern WORD = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"|(\\S+)");

    @TempDir
    static Path pki;

    private static KubeadmFiles files;
    private static SystemdUnit unit;

    @BeforeAll
    static void generate() {
        files = KubeadmFiles.mint(pki);
        List<String> args = new ArrayList<>(List.of("systemd"));
        args.addAll(OPTIONS);
        unit = SystemdUnit.parse(new ManifestGenerator(files.daemonOptions(Map.of()), "unused").generate(args));
    }

    @Test
    void theSandboxIsTheShippedUnitsSettingForSetting() {
        SystemdUnit shipped = SystemdUnit.parse(Repository.text("src/main/systemd/govip.service"));

        for (String section : shipped.sections().keySet()) {
            Map<String, List<String>> expected = new TreeMap<>(shipped.sections().get(section));
            Map<String, List<String>> actual = new TreeMap<>(unit.sections().get(section));
            expected.keySet().removeAll(HOW_OPTIONS_ARRIVE);
            actual.keySet().removeAll(HOW_OPTIONS_ARRIVE);
            assertThat(actual).as(section).isEqualTo(expected);
        }
    }

    @Test
    void theJvmIsStartedAsInTheShippedUnit() {
        List<String> shipped = List.of(SystemdUnit.parse(Repository.text("src/main/systemd/govip.service"))
                .values(SERVICE, "ExecStart").getFirst().split("\\s+"));
        List<String> command = execStart();

        int jar = command.indexOf("-jar");
        assertThat(command.subList(0, jar + 2)).isEqualTo(shipped.subList(0, shipped.indexOf("-jar") + 2));
    }

    @Test
    void theEtcdFilesArriveAsCredentialsOnlyThisServiceCanRead() {
        assertThat(unit.values(SERVICE, "LoadCredential")).containsExactly("etcd-ca.crt:" + KubeadmFiles.CA,
                "etcd-client.crt:" + KubeadmFiles.CERT, "etcd-client.key:" + KubeadmFiles.KEY);
        assertThat(String.join(" ", execStart())).contains("-cacert %d/etcd-ca.crt -cert %d/etcd-client.crt "
                + "-key %d/etcd-client.key");
    }

    /** systemd expands %% to %, $$ to $ and %d to the credentials directory; then govip sees its options. */
    @Test
    void theOptionsAfterSystemdsExpansionAreTheOnesGiven() {
        List<String> command = execStart();
        List<String> daemonArgs = new ArrayList<>();
        for (String word : command.subList(command.indexOf("-jar") + 2, command.size())) {
            daemonArgs.add(word.replace("%d/etcd-ca.crt", KubeadmFiles.CA)
                    .replace("%d/etcd-client.crt", KubeadmFiles.CERT).replace("%d/etcd-client.key", KubeadmFiles.KEY)
                    .replace("%%", "%").replace("$$", "$"));
        }

        assertThat(daemonArgs).isEqualTo(OPTIONS);
        assertThat(files.daemonOptions(Map.of()).validate(daemonArgs))
                .isEqualTo(files.daemonOptions(Map.of()).validate(OPTIONS));
    }

    /** ExecStart split as systemd splits it: on spaces, with double-quoted words and backslash escapes in them. */
    private static List<String> execStart() {
        List<String> words = new ArrayList<>();
        Matcher word = WORD.matcher(unit.values(SERVICE, "ExecStart").getFirst());
        while (word.find()) {
            words.add(word.group(1) != null ? word.group(1).replaceAll("\\\\(.)", "$1") : word.group(2));
        }
        return words;
    }
}
