package io.txlab.devstack.process;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command lines for child JVMs (Kafka broker, Temporal server) that run a main class from this JVM's own
 * classpath. The classpath goes through an @argfile: under Surefire it is hundreds of entries long. When this
 * JVM was started with {@code -jar devstack.jar} the classpath is that one jar, and its manifest Class-Path
 * (lib/*.jar) is honoured on {@code -cp} as well.
 */
public final class JavaCommand {

    /** The child JVMs log through logback; this file keeps their INFO logs in the component log. */
    public static final String CHILD_LOGBACK = "io/txlab/devstack/logback-child.xml";

    private JavaCommand() {
    }

    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public static List<String> forMainClass(Path argFile, List<String> jvmOptions, String mainClass, List<String> args) {
        writeClasspathArgFile(argFile, System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(jvmOptions);
        command.add("-Dlogback.configurationFile=" + CHILD_LOGBACK);
        command.add("@" + argFile.toAbsolutePath());
        command.add(mainClass);
        command.addAll(args);
        return command;
    }

    static void writeClasspathArgFile(Path argFile, String classpath) {
        List<String> absolute = new ArrayList<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                absolute.add(Path.of(entry).toAbsolutePath().toString());
            }
        }
        String joined = String.join(File.pathSeparator, absolute);
        // argfile syntax: a quoted token keeps spaces; backslashes and quotes must be escaped inside it
        String quoted = "\"" + joined.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        try {
            Files.createDirectories(argFile.toAbsolutePath().getParent());
            Files.writeString(argFile, "-cp" + System.lineSeparator() + quoted + System.lineSeparator());
        } catch (IOException e) {
            throw new IllegalStateException("could not write " + argFile, e);
        }
    }
}
