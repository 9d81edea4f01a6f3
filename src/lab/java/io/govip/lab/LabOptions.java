package io.govip.lab;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The lab driver's command line: {@code demo},
 * {@code bench [--repetitions N] [--lease-ttl S] [--scenarios a,b] [--etcd-pre-vote] [--govip-args "..."]
 * [--reference keepalived] [--update-docs]},
 * {@code ttl-sweep [--ttls 3,4,5,6] [--repetitions N]},
 * {@code footprint [--repetitions N] [--soak MINUTES] [--jvm-option OPTION]...}, {@code groups-load}, each with
 * {@code [--out DIR]}.
 */
public record LabOptions(Command command, int repetitions, int leaseTtlSeconds, List<Integer> ttls,
        List<Scenario> scenarios, boolean etcdPreVote, List<String> govipArgs, boolean keepalivedReference,
        boolean updateDocs, int soakMinutes, List<String> jvmOptions, Path out) {

    public enum Command {
        DEMO, BENCH, TTL_SWEEP, FOOTPRINT, GROUPS_LOAD
    }

    public static final int DEFAULT_BENCH_REPETITIONS = 7;
    public static final int DEFAULT_SWEEP_REPETITIONS = 5;
    /** Starts timed by the footprint command, as many as the goal is stated for. */
    public static final int DEFAULT_FOOTPRINT_STARTS = 14;
    static final int MAX_SOAK_MINUTES = 24 * 60;
    public static final int DEFAULT_LEASE_TTL = 5;
    public static final List<Integer> DEFAULT_TTLS = List.of(3, 4, 5, 6);
    /** The failover picture the README shows, relative to the repository root the lab runs in. */
    public static final Path DOCS_PICTURE = Path.of("docs", "failover.svg");
    static final int MAX_REPETITIONS = 100;
    static final int MAX_TTL = 60;
    /** govip's default for --peer-port (the fast-failover plan). */
    static final int DEFAULT_PEER_PORT = 2382;
    private static final int MAX_PORT = 65_535;

    public static final String USAGE = """
            usage: govip-lab demo
                   govip-lab bench [--repetitions N] [--lease-ttl S] [--scenarios KEY,...] [--etcd-pre-vote]
                                   [--govip-args "OPTIONS"] [--reference keepalived] [--update-docs] [--out DIR]
                   govip-lab ttl-sweep [--ttls 3,4,5,6] [--repetitions N] [--out DIR]
                   govip-lab footprint [--repetitions N] [--soak MINUTES] [--jvm-option OPTION]... [--out DIR]
                   govip-lab groups-load [--out DIR]
              demo       a three-node lab you can watch: the holder is killed, comes back, and hands over
              bench      failover figures for every scenario, N repetitions each (default %d), written to
                         DIR/failover.json and DIR/failover.svg (DIR defaults to target/benchmark);
                         --etcd-pre-vote runs etcd with raft pre-vote on (etcd 3.5's default);
                         --govip-args adds options to every govip (e.g. "--fast-failover");
                         --reference keepalived runs the same failures on keepalived (advert 1 s and VRRPv3
                         0.1 s) in the same lab afterwards, and prints its figures beside govip's;
                         --update-docs also writes the picture to docs/failover.svg, the one the README shows
              ttl-sweep  for each lease TTL, VIP drops through etcd leader kills and rolling restarts (default
                         %d repetitions), written to DIR/ttl-sweep.json
              footprint  memory (VmRSS at 10 s and 60 s, native memory summary, heap histogram), threads, start
                         to ready over N starts (default %d), client command time, package sizes, written to
                         DIR/footprint.json; --soak samples memory and threads every minute for that long;
                         --jvm-option adds a JVM option to every govip (to measure a setting)
              groups-load  one govip with 1, 10 and 100 --vip-group groups: etcd requests per second at idle
                         (etcd's own counters, over 60 s each) and its memory, written to DIR/groups-load.json
              scenarios: %s""".formatted(DEFAULT_BENCH_REPETITIONS, DEFAULT_SWEEP_REPETITIONS,
            DEFAULT_FOOTPRINT_STARTS, Scenario.keys());

    public static LabOptions parse(String... args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("missing command");
        }
        Command command = switch (args[0]) {
            case "demo" -> Command.DEMO;
            case "bench" -> Command.BENCH;
            case "ttl-sweep" -> Command.TTL_SWEEP;
            case "footprint" -> Command.FOOTPRINT;
            case "groups-load" -> Command.GROUPS_LOAD;
            default -> throw new IllegalArgumentException("unknown command \"" + args[0] + "\"");
        };
        Integer repetitions = null;
        int leaseTtl = DEFAULT_LEASE_TTL;
        List<Integer> ttls = DEFAULT_TTLS;
        List<Scenario> scenarios = Scenario.all();
        boolean etcdPreVote = false;
        List<String> govipArgs = List.of();
        boolean keepalivedReference = false;
        boolean updateDocs = false;
        int soakMinutes = 0;
        List<String> jvmOptions = new ArrayList<>();
        Path out = Path.of("target", "benchmark");
        for (int i = 1; i < args.length; i++) {
            String option = args[i];
            if (command == Command.DEMO) {
                throw new IllegalArgumentException("demo takes no options, not \"" + option + "\"");
            }
            if (command == Command.GROUPS_LOAD && !option.equals("--out")) {
                throw new IllegalArgumentException("groups-load takes only --out, not \"" + option + "\"");
            }
            if (option.equals("--etcd-pre-vote")) {
                etcdPreVote = onlyFor(command, Command.BENCH, option, true);
                continue;
            }
            if (option.equals("--update-docs")) {
                updateDocs = onlyFor(command, Command.BENCH, option, true);
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--repetitions" -> repetitions = number(option, value, 1, MAX_REPETITIONS);
                case "--lease-ttl" -> leaseTtl = onlyFor(command, Command.BENCH, option,
                        number(option, value, 1, MAX_TTL));
                case "--ttls" -> ttls = onlyFor(command, Command.TTL_SWEEP, option, list(option, value));
                case "--scenarios" -> scenarios = onlyFor(command, Command.BENCH, option, scenarios(value));
                case "--govip-args" -> govipArgs = onlyFor(command, Command.BENCH, option, govipArgs(value));
                case "--reference" -> keepalivedReference = onlyFor(command, Command.BENCH, option,
                        reference(value));
                case "--soak" -> soakMinutes = onlyFor(command, Command.FOOTPRINT, option,
                        number(option, value, 0, MAX_SOAK_MINUTES));
                case "--jvm-option" -> jvmOptions.add(onlyFor(command, Command.FOOTPRINT, option,
                        jvmOption(value)));
                case "--out" -> out = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option \"" + option + "\"");
            }
        }
        int defaultRepetitions = switch (command) {
            case TTL_SWEEP -> DEFAULT_SWEEP_REPETITIONS;
            case FOOTPRINT -> DEFAULT_FOOTPRINT_STARTS;
            default -> DEFAULT_BENCH_REPETITIONS;
        };
        return new LabOptions(command, repetitions == null ? defaultRepetitions : repetitions, leaseTtl, ttls,
                scenarios, etcdPreVote, govipArgs, keepalivedReference, updateDocs, soakMinutes,
                List.copyOf(jvmOptions), out);
    }

    /**
     * govip options as one string, split at white space: "--fast-failover --peer-port 2390". Each word goes to
     * govip as one argument, so values cannot contain spaces (none of the options that matter here needs one).
     */
    private static List<String> govipArgs(String value) {
        if (value.chars().anyMatch(c -> Character.isISOControl(c) && !Character.isWhitespace(c))) {
            throw new IllegalArgumentException("--govip-args must not contain control characters");
        }
        List<String> words = List.of(value.strip().split("\\s+"));
        if (value.isBlank() || !words.getFirst().startsWith("-")) {
            throw new IllegalArgumentException("--govip-args takes govip options such as \"--fast-failover\", not \""
                    + value + "\"");
        }
        return words;
    }

    private static boolean reference(String value) {
        if (!value.equals("keepalived")) {
            throw new IllegalArgumentException("--reference knows only \"keepalived\", not \"" + value + "\"");
        }
        return true;
    }

    /**
     * Whether the govips run with fast failover: an address then can be on a fenced node, whose kernel switch keeps
     * it from answering, so two nodes with the address is not two answering.
     */
    public boolean fastFailover() {
        return fastFailover(govipArgs);
    }

    static boolean fastFailover(List<String> govipArgs) {
        return govipArgs.contains("--fast-failover") || govipArgs.contains("--fast-failover=true");
    }

    /** The UDP port fast failover's heartbeats use: --peer-port from the govip options, else govip's default. */
    public int peerPort() {
        for (int i = 0; i < govipArgs.size(); i++) {
            String word = govipArgs.get(i);
            if (word.startsWith("--peer-port=")) {
                return number("--peer-port", word.substring("--peer-port=".length()), 1, MAX_PORT);
            }
            if (word.equals("--peer-port") && i + 1 < govipArgs.size()) {
                return number("--peer-port", govipArgs.get(i + 1), 1, MAX_PORT);
            }
        }
        return DEFAULT_PEER_PORT;
    }

    private static String jvmOption(String value) {
        if (!value.startsWith("-") || value.isBlank() || value.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("--jvm-option takes one JVM option such as -Xss256k, not \""
                    + value + "\"");
        }
        return value;
    }

    private static <T> T onlyFor(Command command, Command allowed, String option, T value) {
        if (command != allowed) {
            throw new IllegalArgumentException(option + " is an option of " + allowed.name().toLowerCase()
                    .replace('_', '-') + " only");
        }
        return value;
    }

    private static int number(String option, String value, int min, int max) {
        try {
            int number = Integer.parseInt(value.strip());
            if (number < min || number > max) {
                throw new IllegalArgumentException(option + " must be from " + min + " to " + max + ", not " + value);
            }
            return number;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a whole number, not \"" + value + "\"");
        }
    }

    private static List<Integer> list(String option, String value) {
        List<Integer> ttls = new ArrayList<>();
        for (String item : value.split(",")) {
            int ttl = number(option, item.strip().replaceFirst("s$", ""), 1, MAX_TTL);
            if (!ttls.contains(ttl)) {
                ttls.add(ttl);
            }
        }
        return List.copyOf(ttls);
    }

    private static List<Scenario> scenarios(String value) {
        List<Scenario> scenarios = new ArrayList<>();
        for (String key : value.split(",")) {
            Scenario scenario = Scenario.byKey(key.strip());
            if (!scenarios.contains(scenario)) {
                scenarios.add(scenario);
            }
        }
        return List.copyOf(scenarios);
    }
}
