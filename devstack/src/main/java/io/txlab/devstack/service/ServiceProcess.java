package io.txlab.devstack.service;

import io.txlab.devstack.ComponentPaths;
import io.txlab.devstack.process.JavaCommand;
import io.txlab.devstack.process.JvmComponent;
import io.txlab.devstack.process.JvmOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One Spring Boot service run from its exec jar; ready when /actuator/health/readiness says UP. */
public class ServiceProcess extends JvmComponent {

    private final Path jar;
    private final Map<String, String> environment;

    public ServiceProcess(String name, ComponentPaths paths, int port, Path jar, Map<String, String> environment) {
        super(name, paths, port);
        this.jar = jar;
        this.environment = Map.copyOf(environment);
    }

    public Path jar() {
        return jar;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    @Override
    protected void prepare() {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(name() + ": " + jar + " is missing — run ./mvnw -DskipTests package first");
        }
    }

    @Override
    protected List<String> command() {
        List<String> command = new ArrayList<>();
        command.add(JavaCommand.javaExecutable());
        command.addAll(JvmOptions.service(name(), paths().dir()));
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
        return command;
    }

    @Override
    protected Map<String, String> environment() {
        return environment;
    }

    @Override
    protected Duration readyTimeout() {
        return Duration.ofSeconds(90);
    }

    @Override
    public boolean isReady() {
        return httpUp(baseUrl() + "/actuator/health/readiness", Duration.ofSeconds(2));
    }
}
