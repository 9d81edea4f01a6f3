package io.govip.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The container images against the application and the build: port, entry point, and the native profile. */
class DockerfilesTest {

    private static final Dockerfile JVM = Dockerfile.parse(Repository.text("docker/Dockerfile.jvm"));
    private static final Dockerfile NATIVE = Dockerfile.parse(Repository.text("docker/Dockerfile.native"));
    static final String LAUNCHER = "/opt/govip/bin/govip";

    @Test
    void bothImagesExposeGovipsDefaultManagementPort() {
        String port = Integer.toString(GovipOptions.defaults().integer("--management-port"));

        assertThat(JVM.last("EXPOSE")).isEqualTo(port);
        assertThat(NATIVE.last("EXPOSE")).isEqualTo(port);
    }

    /**
     * An exec-form ENTRYPOINT and no CMD: "docker run image -etcd ... -vip ..." passes the flags to govip unchanged.
     */
    @Test
    void bothImagesPassDockerRunArgumentsToGovipUnchanged() {
        assertThat(JVM.finalStageHas("CMD")).isFalse();
        assertThat(NATIVE.finalStageHas("CMD")).isFalse();
        assertThat(jvmEntrypoint()).containsExactly(LAUNCHER);
        assertThat(entrypoint(NATIVE)).containsExactly(copyDestination(NATIVE, "/code/target/*-runner"));
    }

    /** The image holds the archive operators install, unpacked where the unit and the .deb have it: no JDK needed. */
    @Test
    void theJvmImageRunsTheDistributionsLauncherOnAnyBase() {
        assertThat(JVM.all("ADD")).containsExactly("target/govip-*-linux-x86_64.tar.gz /opt/");
        assertThat(JVM.all("COPY")).isEmpty();
        assertThat(JVM.last("FROM")).isEqualTo("${BASE}");
        assertThat(JVM.all("ARG")).anySatisfy(arg -> assertThat(arg).startsWith("BASE="));
        assertThat(Repository.text("docker/Dockerfile.jvm.dockerignore").lines().filter(line -> line.startsWith("!")))
                .containsExactly("!target/govip-*-linux-x86_64.tar.gz");
    }

    /**
     * Both routes to a native executable (pom.xml's profile with a container build, and this image) use one builder.
     */
    @Test
    void theNativeImageIsCompiledWithTheNativeProfileAndItsBuilder() throws Exception {
        Element profile = nativeProfile();

        assertThat(property(profile, "quarkus.native.enabled")).isEqualTo("true");
        assertThat(property(profile, "quarkus.package.jar.enabled")).isEqualTo("false");
        assertThat(NATIVE.all("FROM").getFirst())
                .isEqualTo(property(profile, "quarkus.native.builder-image") + " AS build");
        assertThat(NATIVE.all("RUN")).anySatisfy(run -> assertThat(run).contains("./mvnw").contains("-Pnative"));
    }

    /** Fast failover refuses to start without libnftables; a base that has it must not need the network. */
    @Test
    void theJvmImageCarriesLibnftablesForFastFailover() {
        assertThat(JVM.all("RUN")).anySatisfy(run -> assertThat(run)
                .startsWith("[ -e /usr/lib/x86_64-linux-gnu/libnftables.so.1 ] ||")
                .contains("apt-get install -y --no-install-recommends libnftables1"));
    }

    @Test
    void bothImagesRunAsRootForTheRuntimeToDropAllButTwoCapabilities() {
        assertThat(JVM.last("USER")).isEqualTo("0");
        assertThat(NATIVE.last("USER")).isEqualTo("0");
    }

    static List<String> jvmEntrypoint() {
        return entrypoint(JVM);
    }

    private static List<String> entrypoint(Dockerfile dockerfile) {
        try {
            JsonNode form = new ObjectMapper().readTree(dockerfile.last("ENTRYPOINT"));
            assertThat(form.isArray()).as("exec-form ENTRYPOINT").isTrue();
            List<String> words = new ArrayList<>();
            form.forEach(word -> words.add(word.asText()));
            return words;
        } catch (IOException e) {
            throw new AssertionError("ENTRYPOINT is not a JSON array", e);
        }
    }

    private static String copyDestination(Dockerfile dockerfile, String source) {
        return dockerfile.all("COPY").stream().filter(copy -> copy.contains(" " + source + " "))
                .map(copy -> copy.substring(copy.lastIndexOf(' ') + 1)).findFirst()
                .orElseThrow(() -> new AssertionError("nothing copies " + source));
    }

    private static Element nativeProfile() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(Repository.file("pom.xml").toFile());
        NodeList profiles = pom.getElementsByTagName("profile");
        for (int i = 0; i < profiles.getLength(); i++) {
            Element profile = (Element) profiles.item(i);
            if (profile.getElementsByTagName("id").item(0).getTextContent().equals("native")) {
                return profile;
            }
        }
        throw new AssertionError("pom.xml has no native profile");
    }

    private static String property(Element profile, String name) {
        NodeList values = ((Element) profile.getElementsByTagName("properties").item(0)).getElementsByTagName(name);
        assertThat(values.getLength()).as(name).isEqualTo(1);
        return values.item(0).getTextContent().strip();
    }
}
