import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Rewrites, in place, every class in the given jars whose class file version predates Java 6 (50) to version 52 (Java
 * 8), with the stack map frames that version requires, computed by the JDK's class-file API; the bytecode itself is
 * unchanged. The JDK's AOT cache holds no class of such an old version (nor any class that extends or implements
 * one), so without this picocli, compiled for Java 5, is loaded and verified from its jar by every client command.
 * Every rewritten class is checked by the class-file API's verifier; any finding fails the build. A jar without old
 * classes is left untouched.
 * Usage: java RetargetOldClasses.java JAR...
 */
public final class RetargetOldClasses {

    private static final int OLDEST_KEPT = 50;
    private static final int TARGET = 52;

    public static void main(String[] args) throws IOException {
        for (String jar : args) {
            int rewritten = retarget(Path.of(jar));
            if (rewritten > 0) {
                System.out.println("RetargetOldClasses: " + rewritten + " classes of " + jar + " now class file version "
                        + TARGET);
            }
        }
    }

    private static int retarget(Path jar) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        Map<String, FileTime> times = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                entries.put(entry.getName(), in.readAllBytes());
                times.put(entry.getName(), entry.getLastModifiedTime());
            }
        }
        // Stack maps name the common supertype of merging branches, so the generator must see the jar's own classes.
        ClassHierarchyResolver ownClasses = ClassHierarchyResolver.ofResourceParsing(type -> {
            String descriptor = type.descriptorString();
            byte[] bytes = entries.get(descriptor.substring(1, descriptor.length() - 1) + ".class");
            return bytes == null ? null : new ByteArrayInputStream(bytes);
        });
        ClassFile classFile = ClassFile.of(ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
                ClassFile.ClassHierarchyResolverOption.of(ClassHierarchyResolver.defaultResolver().orElse(ownClasses)));
        // Passing every method body through a code transform makes the class-file API rebuild it, frames included.
        ClassTransform newerVersion = ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL)
                .andThen(ClassTransform.endHandler(builder -> builder.withVersion(TARGET, 0)));
        int rewritten = 0;
        for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
            if (!entry.getKey().endsWith(".class") || entry.getKey().startsWith("META-INF/")) {
                continue;
            }
            ClassModel model = classFile.parse(entry.getValue());
            if (model.majorVersion() >= OLDEST_KEPT) {
                continue;
            }
            byte[] newer = classFile.transformClass(model, newerVersion);
            List<VerifyError> errors = classFile.verify(newer);
            if (!errors.isEmpty()) {
                throw new IllegalStateException(jar + "!" + entry.getKey() + " does not verify after the rewrite: "
                        + errors.getFirst().getMessage());
            }
            entry.setValue(newer);
            rewritten++;
        }
        if (rewritten > 0) {
            Path rewrittenJar = jar.resolveSibling(jar.getFileName() + ".retargeted");
            try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(rewrittenJar))) {
                for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                    ZipEntry copy = new ZipEntry(entry.getKey());
                    copy.setLastModifiedTime(times.get(entry.getKey()));
                    out.putNextEntry(copy);
                    out.write(entry.getValue());
                    out.closeEntry();
                }
            }
            Files.move(rewrittenJar, jar, StandardCopyOption.REPLACE_EXISTING);
        }
        return rewritten;
    }
}
