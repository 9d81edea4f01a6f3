package io.govip.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The native image can only do at run time what was registered at build time. No native-image runs in the ordinary
 * build, so these tests hold govip's registrations against the code and the libraries: every FFM downcall, every
 * ServiceLoader provider jetcd's gRPC looks up, the protobuf reflection, the resources, and the classes that must
 * initialize at run time.
 */
class NativeImageMetadataTest {

    private static final String DIRECTORY = "src/main/resources/META-INF/native-image/io.govip/govip/";
    private static final JsonNode METADATA = Repository.json(DIRECTORY + "reachability-metadata.json");
    private static final List<String> ARGS = nativeImageArgs();

    /** The gRPC service interfaces jetcd's channel looks providers up for (name resolution and load balancing). */
    private static final List<String> GRPC_SERVICES = List.of("io.grpc.NameResolverProvider",
            "io.grpc.LoadBalancerProvider");

    @Test
    void everyDowncallInTheSourcesIsRegisteredWithItsSignatureAndLinkerOptions() {
        List<Downcalls.Declaration> declared = declaredDowncalls();
        List<Downcalls.Signature> registered = Downcalls.registered(METADATA);

        assertThat(declared).allSatisfy(downcall -> assertThat(registered)
                .as("%s() of %s", downcall.symbol(), downcall.declaringClass())
                .contains(downcall.signature()));
    }

    @Test
    void everyRegisteredDowncallIsOneTheSourcesDeclare() {
        Set<Downcalls.Signature> declared = declaredDowncalls().stream().map(Downcalls.Declaration::signature)
                .collect(Collectors.toSet());

        assertThat(Downcalls.registered(METADATA)).isSubsetOf(declared);
    }

    @Test
    void classesThatCreateDowncallHandlesInitializeAtRunTime() {
        declaredDowncalls();

        assertThat(runTimeInitialized()).containsAll(
                Downcalls.declaringSources().stream().map(JavaSources.Source::className).toList());
    }

    /**
     * GraalVM 25's parser of the foreign section is strict: an unknown attribute, such as the "reason" newer schemas
     * allow, fails the whole native build. Each layout must be a canonical layout name of the linker.
     */
    @Test
    void downcallEntriesUseOnlyWhatTheStrictForeignParserAccepts() {
        assertThat(fieldNames(METADATA.path("foreign"))).containsOnly("downcalls");
        for (JsonNode downcall : METADATA.path("foreign").path("downcalls")) {
            assertThat(fieldNames(downcall)).contains("returnType", "parameterTypes")
                    .isSubsetOf("returnType", "parameterTypes", "options");
            assertThat(fieldNames(downcall.path("options"))).isSubsetOf("captureCallState", "critical",
                    "firstVariadicArg");
            downcall.path("parameterTypes").forEach(type -> Downcalls.canonicalLayout(type.asText()));
        }
    }

    /** Native image can close a shared arena only with this experimental option; without it close() throws. */
    @Test
    void sharedArenasAreSupportedWhereverTheSourcesUseThem() {
        boolean sourcesUseSharedArenas = JavaSources.main().stream()
                .anyMatch(source -> source.code().contains("Arena.ofShared("));

        if (sourcesUseSharedArenas) {
            assertThat(ARGS).containsSubsequence("-H:+UnlockExperimentalVMOptions", "-H:+SharedArenaSupport");
        }
    }

    /**
     * Quarkus switches native-image's automatic ServiceLoader registration off, and gRPC finds its name resolvers
     * (jetcd's "ip" scheme among them) and load balancers through ServiceLoader: each provider listed on the class
     * path needs its service file as a resource and its public no-argument constructor registered.
     */
    @Test
    void everyGrpcProviderOnTheClassPathCanBeLoadedByServiceLoaderInTheImage() throws IOException {
        Set<String> listed = new TreeSet<>();
        for (String service : GRPC_SERVICES) {
            assertThat(resourceGlobs()).contains("META-INF/services/" + service);
            listed.addAll(providersListedFor(service));
        }

        assertThat(listed).isNotEmpty();
        assertThat(constructorsRegistered()).containsAll(listed);
        assertThat(constructorsRegistered()).as("registered providers no library on the class path lists")
                .isSubsetOf(listed);
    }

    /**
     * protobuf's message reflection (toString, getAllFields, getDescriptorForType) looks up the generated accessors
     * of jetcd's messages by name; each message, builder and enum is registered for the case it is reached.
     */
    @Test
    void jetcdsProtobufTypesAreOpenToProtobufReflectionWhenReached() throws Exception {
        Set<String> generated = jetcdProtobufTypes();
        Set<String> registered = new TreeSet<>();
        for (JsonNode entry : METADATA.path("reflection")) {
            String type = entry.path("type").asText();
            if (!entry.path("condition").isMissingNode()) {
                assertThat(entry.path("condition").path("typeReached").asText()).as(type).isEqualTo(type);
                assertThat(entry.path("allPublicMethods").asBoolean()).as(type).isTrue();
                registered.add(type);
            }
        }

        assertThat(generated).isNotEmpty();
        assertThat(registered).isEqualTo(generated);
    }

    /** Resources govip reads by a literal name, such as the version stamped in at build time. */
    @Test
    void resourcesTheApplicationReadsAreInTheImage() {
        Pattern resourceRead = Pattern.compile("getResource(?:AsStream)?\\(\\s*\"/?([^\"]+)\"\\s*\\)");
        Set<String> read = new TreeSet<>();
        for (JavaSources.Source source : JavaSources.main()) {
            Matcher matcher = resourceRead.matcher(source.code());
            while (matcher.find()) {
                read.add(matcher.group(1));
            }
        }

        assertThat(read).isNotEmpty().allSatisfy(resource -> assertThat(resourceGlobs())
                .anySatisfy(glob -> assertThat(FileSystems.getDefault().getPathMatcher("glob:" + glob)
                        .matches(Path.of(resource))).isTrue()));
    }

    /** A library upgrade that renames a class deferred to run time would otherwise only show in a native build. */
    @Test
    void everyLibraryClassDeferredToRunTimeExists() {
        assertThat(runTimeInitialized()).filteredOn(name -> !name.startsWith("io.govip."))
                .isNotEmpty()
                .allSatisfy(name -> assertThat(Class.forName(name, false, getClass().getClassLoader())).isNotNull());
    }

    private static List<Downcalls.Declaration> declaredDowncalls() {
        List<Downcalls.Declaration> declared = Downcalls.declaredInSources();
        assumeThat(declared).as("FFM downcalls in src/main/java (the netlink code declares them)").isNotEmpty();
        return declared;
    }

    private static List<String> nativeImageArgs() {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(Repository.text(DIRECTORY + "native-image.properties")));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return List.of(properties.getProperty("Args", "").strip().split("\\s+"));
    }

    private static Set<String> runTimeInitialized() {
        Set<String> classes = new HashSet<>();
        for (String arg : ARGS) {
            if (arg.startsWith("--initialize-at-run-time=")) {
                classes.addAll(List.of(arg.substring("--initialize-at-run-time=".length()).split(",")));
            }
        }
        return classes;
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Set<String> resourceGlobs() {
        return StreamSupport.stream(METADATA.path("resources").spliterator(), false)
                .map(resource -> resource.path("glob").asText()).collect(Collectors.toSet());
    }

    /** Types registered with exactly a public no-argument constructor, the way ServiceLoader instantiates them. */
    private static Set<String> constructorsRegistered() {
        Set<String> types = new TreeSet<>();
        for (JsonNode entry : METADATA.path("reflection")) {
            JsonNode methods = entry.path("methods");
            if (methods.size() == 1 && methods.get(0).path("name").asText().equals("<init>")
                    && methods.get(0).path("parameterTypes").isEmpty()) {
                types.add(entry.path("type").asText());
            }
        }
        return types;
    }

    private Set<String> providersListedFor(String service) throws IOException {
        Set<String> providers = new TreeSet<>();
        for (URL file : Collections.list(getClass().getClassLoader().getResources("META-INF/services/" + service))) {
            try (InputStream in = file.openStream()) {
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    String provider = line.replaceFirst("#.*", "").strip();
                    if (!provider.isEmpty()) {
                        providers.add(provider);
                    }
                }
            }
        }
        return providers;
    }

    /** Every protobuf message, builder and enum generated into jetcd's API jar. */
    private Set<String> jetcdProtobufTypes() throws IOException, URISyntaxException, ClassNotFoundException {
        ClassLoader loader = getClass().getClassLoader();
        Class<?> message = Class.forName("com.google.protobuf.GeneratedMessage", false, loader);
        Class<?> builder = Class.forName("com.google.protobuf.GeneratedMessage$Builder", false, loader);
        Class<?> protocolEnum = Class.forName("com.google.protobuf.ProtocolMessageEnum", false, loader);
        Path jar = Path.of(Class.forName("io.etcd.jetcd.api.KeyValue", false, loader)
                .getProtectionDomain().getCodeSource().getLocation().toURI());
        Set<String> types = new TreeSet<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            List<JarEntry> entries = new ArrayList<>(Collections.list(file.entries()));
            for (JarEntry entry : entries) {
                String name = entry.getName();
                if (!name.endsWith(".class") || name.equals("module-info.class")) {
                    continue;
                }
                Class<?> type = Class.forName(name.substring(0, name.length() - 6).replace('/', '.'), false, loader);
                if (message.isAssignableFrom(type) || builder.isAssignableFrom(type)
                        || (type.isEnum() && protocolEnum.isAssignableFrom(type))) {
                    types.add(type.getName());
                }
            }
        }
        return types;
    }
}
