package io.govip.manifest;

import java.util.Arrays;
import java.util.stream.Collectors;

/** What {@code govip manifest} can print. */
public enum ManifestKind {
    STATIC_POD("static-pod"),
    DAEMONSET("daemonset"),
    SYSTEMD("systemd");

    private final String word;

    ManifestKind(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }

    boolean isPod() {
        return this != SYSTEMD;
    }

    static ManifestKind parse(String word) {
        return Arrays.stream(values()).filter(kind -> kind.word.equals(word)).findFirst()
                .orElseThrow(() -> new ManifestUsageException("unknown manifest kind \"" + word + "\": " + words()));
    }

    static String words() {
        return Arrays.stream(values()).map(ManifestKind::word).collect(Collectors.joining(", "));
    }
}
