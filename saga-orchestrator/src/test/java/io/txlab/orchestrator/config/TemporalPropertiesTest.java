package io.txlab.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.worker.WorkerOptions;
import io.txlab.platform.orchestration.TemporalAutoConfiguration;
import io.txlab.platform.orchestration.TemporalProperties;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/** The shipped YAML files give the local worker settings by default and the SDK defaults under {@code production}. */
class TemporalPropertiesTest {

    @Test
    void localDefaultsTurnTheStickyQueueFallbackToZero() throws IOException {
        TemporalProperties properties = bind("application.yml");

        assertThat(properties.target()).isEqualTo("127.0.0.1:17233");
        assertThat(properties.namespace()).isEqualTo("default");
        assertThat(TemporalAutoConfiguration.workerOptions(properties).getStickyQueueScheduleToStartTimeout())
                .isEqualTo(Duration.ZERO);
    }

    @Test
    void productionProfileKeepsTheSdkDefaults() throws IOException {
        TemporalProperties properties = bind("application-production.yml", "application.yml");

        assertThat(properties.stickyQueueScheduleToStartTimeout()).isNull();
        WorkerOptions sdkDefaults = WorkerOptions.newBuilder().build();
        WorkerOptions options = TemporalAutoConfiguration.workerOptions(properties);
        assertThat(options.getStickyQueueScheduleToStartTimeout())
                .isEqualTo(sdkDefaults.getStickyQueueScheduleToStartTimeout());
        assertThat(options.getMaxConcurrentWorkflowTaskExecutionSize())
                .isEqualTo(sdkDefaults.getMaxConcurrentWorkflowTaskExecutionSize());
    }

    /** Files in precedence order, highest first, as Spring Boot orders a profile file before application.yml. */
    private static TemporalProperties bind(String... files) throws IOException {
        MutablePropertySources sources = new MutablePropertySources();
        for (String file : files) {
            List<PropertySource<?>> loaded = new ArrayList<>(
                    new YamlPropertySourceLoader().load(file, new ClassPathResource(file)));
            loaded.forEach(sources::addLast);
        }
        return new Binder(ConfigurationPropertySources.from(sources), new PropertySourcesPlaceholdersResolver(sources))
                .bindOrCreate("txlab.temporal", TemporalProperties.class);
    }
}
