package io.txlab.loadtests.compare;

import io.txlab.loadtests.report.Results;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** What the report states about where and with what it ran: machine, versions, settings the services use. */
final class Environment {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Environment() {
    }

    static Results.Machine machine() {
        String cpu = "unknown CPU";
        double memGiB = Double.NaN;
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
            memGiB = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .findFirst().map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0).orElse(Double.NaN);
        } catch (IOException | RuntimeException e) {
            // not Linux: the report says "unknown" rather than guessing
        }
        return new Results.Machine(Runtime.getRuntime().availableProcessors(), Math.round(memGiB * 10) / 10.0, cpu,
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
    }

    static Map<String, String> versions(Path repo, Optional<String> postgresVersion) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("Gatling", jarVersion("io.gatling.app.Gatling", "gatling-app"));
        v.put("PostgreSQL (server)", postgresVersion.orElse("unknown (orders database unreachable)"));
        v.put("Kafka (broker jar on the devstack classpath)", jarVersion("kafka.Kafka", "kafka_2.13"));
        v.put("Temporal test server", jarVersion("io.temporal.testserver.TestServer", "temporal-test-server"));
        v.put("HdrHistogram", jarVersion("org.HdrHistogram.Histogram", "HdrHistogram"));
        String pom = read(repo.resolve("pom.xml"));
        v.put("Spring Boot (root pom parent)", find(pom, "<artifactId>spring-boot-starter-parent</artifactId>\\s*<version>([^<]+)</version>"));
        v.put("Debezium (root pom)", find(pom, "<debezium.version>([^<]+)</debezium.version>"));
        v.put("Temporal SDK (root pom)", find(pom, "<temporal.version>([^<]+)</temporal.version>"));
        return v;
    }

    /**
     * Relay and batching knobs as configured in the services' application.yml files (environment overrides are not
     * visible from here), plus whatever each running service publishes under /actuator/info.
     */
    static Map<String, String> serviceSettings(Path repo, Map<String, String> serviceUrls) {
        Map<String, String> s = new LinkedHashMap<>();
        Pattern knob = Pattern.compile("^\\s*([\\w.-]*(poll-interval|poll\\.interval|idle-pause|queue-wait|linger|sticky|batch-size|relay)[\\w.-]*)\\s*:\\s*(\\S.*)$");
        for (String module : List.of("order-service", "inventory-service", "payment-service", "saga-orchestrator", "twopc-coordinator", "platform")) {
            Path res = repo.resolve(module).resolve("src/main/resources");
            if (!Files.isDirectory(res)) {
                continue;
            }
            try (Stream<Path> files = Files.list(res)) {
                for (Path f : files.filter(p -> p.getFileName().toString().matches("application.*\\.ya?ml")).sorted().toList()) {
                    for (String line : Files.readAllLines(f)) {
                        Matcher m = knob.matcher(line);
                        if (m.matches()) {
                            s.put(module + "/" + f.getFileName() + ": " + m.group(1), m.group(3).trim());
                        }
                    }
                }
            } catch (IOException e) {
                // a module without readable config simply contributes nothing
            }
        }
        serviceUrls.forEach((name, url) -> info(url).ifPresent(info -> {
            if (info.size() > 0) {
                s.put(name + " /actuator/info", info.toString());
            }
        }));
        return s;
    }

    static Optional<JsonNode> info(String serviceUrl) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(serviceUrl + "/actuator/info"))
                    .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Optional.of(io.txlab.loadtests.report.ReportWriter.JSON.readTree(r.body())) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static String jarVersion(String className, String artifact) {
        try {
            Class<?> c = Class.forName(className, false, Environment.class.getClassLoader());
            String location = c.getProtectionDomain().getCodeSource().getLocation().getPath();
            Matcher m = Pattern.compile(Pattern.quote(artifact) + "-([0-9][^/]*?)\\.jar$").matcher(location);
            if (m.find()) {
                return m.group(1);
            }
            String impl = c.getPackage().getImplementationVersion();
            return impl != null ? impl : "unknown";
        } catch (ClassNotFoundException | RuntimeException e) {
            return "not on the classpath";
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    private static String find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? m.group(1) : "unknown";
    }
}
