package io.govip.packaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The instructions of a Dockerfile: keyword and arguments, continuation lines joined, comments dropped. */
record Dockerfile(List<Instruction> instructions) {

    record Instruction(String keyword, String arguments) {
    }

    static Dockerfile parse(String text) {
        List<Instruction> instructions = new ArrayList<>();
        StringBuilder logicalLine = new StringBuilder();
        for (String rawLine : text.split("\n", -1)) {
            String line = rawLine.strip();
            if (line.startsWith("#") || (logicalLine.isEmpty() && line.isEmpty())) {
                continue;
            }
            if (line.endsWith("\\")) {
                logicalLine.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            logicalLine.append(line);
            String instruction = logicalLine.toString().strip();
            logicalLine.setLength(0);
            String[] parts = instruction.split("\\s+", 2);
            instructions.add(new Instruction(parts[0].toUpperCase(Locale.ROOT),
                    parts.length > 1 ? parts[1] : ""));
        }
        return new Dockerfile(instructions);
    }

    List<String> all(String keyword) {
        return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).toList();
    }

    /** The arguments of the last instruction with this keyword in the final stage, the one that becomes the image. */
    String last(String keyword) {
        List<Instruction> finalStage = instructions.subList(lastIndexOf("FROM"), instructions.size());
        return finalStage.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments)
                .reduce((first, second) -> second)
                .orElseThrow(() -> new IllegalStateException("the final stage has no " + keyword));
    }

    boolean finalStageHas(String keyword) {
        return instructions.subList(lastIndexOf("FROM"), instructions.size()).stream()
                .anyMatch(i -> i.keyword().equals(keyword));
    }

    private int lastIndexOf(String keyword) {
        for (int i = instructions.size() - 1; i >= 0; i--) {
            if (instructions.get(i).keyword().equals(keyword)) {
                return i;
            }
        }
        throw new IllegalStateException("no " + keyword + " instruction");
    }
}
