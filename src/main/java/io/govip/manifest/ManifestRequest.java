package io.govip.manifest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code govip manifest KIND [--image IMAGE] [daemon options]}: the kind, the image for a pod, and the daemon's
 * options exactly as they are to appear in the manifest.
 */
public record ManifestRequest(ManifestKind kind, Optional<String> image, List<String> daemonArgs) {

    static final String IMAGE_OPTION = "--image";

    public ManifestRequest {
        daemonArgs = List.copyOf(daemonArgs);
    }

    static ManifestRequest parse(List<String> args) {
        if (args.isEmpty() || args.getFirst().startsWith("-")) {
            throw new ManifestUsageException("manifest needs a kind first: " + ManifestKind.words());
        }
        ManifestKind kind = ManifestKind.parse(args.getFirst());
        Optional<String> image = Optional.empty();
        List<String> daemonArgs = new ArrayList<>();
        for (int i = 1; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals(IMAGE_OPTION) || arg.startsWith(IMAGE_OPTION + "=")) {
                String value = arg.equals(IMAGE_OPTION) ? valueAfter(args, i++)
                        : arg.substring(IMAGE_OPTION.length() + 1);
                image = Optional.of(imageFor(kind, value));
            } else {
                daemonArgs.add(arg);
            }
        }
        return new ManifestRequest(kind, image, daemonArgs);
    }

    private static String valueAfter(List<String> args, int index) {
        if (index + 1 >= args.size()) {
            throw new ManifestUsageException("missing value for " + IMAGE_OPTION);
        }
        return args.get(index + 1);
    }

    private static String imageFor(ManifestKind kind, String value) {
        if (!kind.isPod()) {
            throw new ManifestUsageException(IMAGE_OPTION + " is for static-pod and daemonset; a systemd unit runs "
                    + "the installed jar");
        }
        if (value.isBlank() || value.chars().anyMatch(Character::isWhitespace)) {
            throw new ManifestUsageException("invalid " + IMAGE_OPTION + " \"" + value + "\": not an image reference");
        }
        return value;
    }
}
