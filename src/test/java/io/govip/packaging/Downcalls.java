package io.govip.packaging;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * FFM downcalls on both sides: as govip's sources declare them and as reachability-metadata.json registers them. A
 * native image can only create a downcall handle whose descriptor and linker options were registered at build time.
 */
final class Downcalls {

    /** A downcall as native image identifies it: the function descriptor and the linker options that shape the stub. */
    record Signature(FunctionDescriptor descriptor, boolean capturesCallState) {
    }

    /** A downcall declared in the sources: the C function, its signature, and the class that creates the handle. */
    record Declaration(String symbol, Signature signature, String declaringClass) {
    }

    private static final Pattern DOWNCALL_HANDLE = Pattern.compile("\\bdowncallHandle\\s*\\(");
    private static final Pattern ANY_DESCRIPTOR = Pattern.compile(
            "\\bFunctionDescriptor\\s*\\.\\s*(?:of|ofVoid)\\s*\\(");
    /** The shape of govip's declarations: a helper taking the symbol and then its descriptor. */
    private static final Pattern NAMED_DESCRIPTOR = Pattern.compile(
            "\"(\\w+)\"\\s*,\\s*FunctionDescriptor\\s*\\.\\s*(of|ofVoid)\\s*\\(");

    private Downcalls() {
    }

    /** Classes of the main sources that create downcall handles. */
    static List<JavaSources.Source> declaringSources() {
        return JavaSources.main().stream().filter(source -> DOWNCALL_HANDLE.matcher(source.code()).find()).toList();
    }

    static List<Declaration> declaredInSources() {
        List<Declaration> declarations = new ArrayList<>();
        for (JavaSources.Source source : declaringSources()) {
            boolean capturesCallState = capturesCallState(source);
            Matcher named = NAMED_DESCRIPTOR.matcher(source.code());
            while (named.find()) {
                List<String> layouts = JavaSources.splitArguments(
                        JavaSources.balancedArguments(source.code(), named.end() - 1));
                FunctionDescriptor descriptor = named.group(2).equals("ofVoid")
                        ? FunctionDescriptor.ofVoid(sourceLayouts(layouts))
                        : FunctionDescriptor.of(sourceLayout(layouts.getFirst()),
                                sourceLayouts(layouts.subList(1, layouts.size())));
                declarations.add(new Declaration(named.group(1), new Signature(descriptor, capturesCallState),
                        source.className()));
            }
            long descriptors = ANY_DESCRIPTOR.matcher(source.code()).results().count();
            long understood = declarations.stream().filter(d -> d.declaringClass().equals(source.className())).count();
            if (descriptors != understood) {
                throw new IllegalStateException(source.className() + " builds " + descriptors + " function descriptors"
                        + " but only " + understood + " follow the shape downcall(\"symbol\", FunctionDescriptor.of(..."
                        + "): teach " + Downcalls.class.getSimpleName() + " the new shape");
            }
        }
        return declarations;
    }

    /**
     * The linker options of a class's downcallHandle calls. All of a class's handles must share them, since the
     * descriptors are matched to the calls by shape, not by data flow.
     */
    private static boolean capturesCallState(JavaSources.Source source) {
        Set<Boolean> captures = new HashSet<>();
        Matcher call = DOWNCALL_HANDLE.matcher(source.code());
        while (call.find()) {
            String arguments = JavaSources.balancedArguments(source.code(), call.end() - 1);
            if (arguments.contains("critical(") || arguments.contains("firstVariadicArg(")) {
                throw new IllegalStateException(source.className() + " uses a linker option this test does not"
                        + " compare yet: " + arguments);
            }
            captures.add(arguments.contains("captureCallState("));
        }
        if (captures.size() != 1) {
            throw new IllegalStateException(source.className() + " mixes linker options across downcallHandle calls");
        }
        return captures.iterator().next();
    }

    private static MemoryLayout[] sourceLayouts(List<String> expressions) {
        return expressions.stream().map(Downcalls::sourceLayout).toArray(MemoryLayout[]::new);
    }

    /** A ValueLayout constant as the sources name it: JAVA_INT, ValueLayout.ADDRESS, ... */
    private static MemoryLayout sourceLayout(String expression) {
        String constant = expression.strip().replaceFirst("^ValueLayout\\s*\\.\\s*", "");
        try {
            return (MemoryLayout) ValueLayout.class.getField(constant).get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("layout '" + expression + "' is not a ValueLayout constant: teach "
                    + Downcalls.class.getSimpleName() + " to read it", e);
        }
    }

    /** The downcalls reachability-metadata.json registers, resolved the way native-image resolves them. */
    static List<Signature> registered(JsonNode metadata) {
        List<Signature> signatures = new ArrayList<>();
        for (JsonNode downcall : metadata.path("foreign").path("downcalls")) {
            List<MemoryLayout> parameters = new ArrayList<>();
            downcall.path("parameterTypes").forEach(type -> parameters.add(canonicalLayout(type.asText())));
            String returnType = downcall.path("returnType").asText();
            MemoryLayout[] parameterLayouts = parameters.toArray(MemoryLayout[]::new);
            FunctionDescriptor descriptor = returnType.equals("void")
                    ? FunctionDescriptor.ofVoid(parameterLayouts)
                    : FunctionDescriptor.of(canonicalLayout(returnType), parameterLayouts);
            signatures.add(new Signature(descriptor, downcall.path("options").path("captureCallState").asBoolean()));
        }
        return signatures;
    }

    /** native-image reads layout names through the platform linker's canonical layouts, as here. */
    static MemoryLayout canonicalLayout(String name) {
        MemoryLayout layout = Linker.nativeLinker().canonicalLayouts().get(name);
        if (layout == null) {
            throw new IllegalStateException("'" + name + "' is not a canonical layout of this platform's linker");
        }
        return layout;
    }
}
