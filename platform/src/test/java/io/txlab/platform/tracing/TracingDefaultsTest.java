package io.txlab.platform.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class TracingDefaultsTest {

    @Test
    void tracingIsOffAndLogsAreTextUnlessSaidOtherwise() {
        StandardEnvironment env = new StandardEnvironment();
        new TracingDefaults().postProcessEnvironment(env, new SpringApplication());
        assertThat(env.getProperty("management.tracing.sampling.probability")).isEqualTo("0.0");
        assertThat(env.getProperty("management.tracing.baggage.remote-fields")).isEqualTo("orderId");
        assertThat(env.getProperty("spring.kafka.listener.observation-enabled")).isEqualTo("true");
        assertThat(env.getProperty("logging.structured.format.console")).isNull();
        assertThat(env.getProperty("logging.pattern.correlation")).contains("%X{traceId").contains("%X{orderId");
    }

    @Test
    void jsonSwitchesTheConsoleToEcsAndExplicitSettingsWin() {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("given", Map.of("txlab.log.format", "json",
                "management.tracing.sampling.probability", "1.0")));
        new TracingDefaults().postProcessEnvironment(env, new SpringApplication());
        assertThat(env.getProperty("logging.structured.format.console")).isEqualTo("ecs");
        assertThat(env.getProperty("management.tracing.sampling.probability")).isEqualTo("1.0");
    }

    @Test
    void jdbcStatementsAreObservedOnlyWhileSpansAreExported() {
        StandardEnvironment off = new StandardEnvironment();
        new TracingDefaults().postProcessEnvironment(off, new SpringApplication());
        assertThat(off.getProperty("jdbc.datasource-proxy.enabled")).isEqualTo("false");

        StandardEnvironment exporting = new StandardEnvironment();
        exporting.getPropertySources().addFirst(new MapPropertySource("given",
                Map.of("txlab.tracing.zipkin.endpoint", "http://127.0.0.1:9411/api/v2/spans")));
        new TracingDefaults().postProcessEnvironment(exporting, new SpringApplication());
        assertThat(exporting.getProperty("jdbc.datasource-proxy.enabled")).isEqualTo("true");
    }

    @Test
    void anUnknownFormatIsRefused() {
        assertThat(TracingDefaults.structuredFormat("logstash")).isEqualTo("logstash");
        assertThat(TracingDefaults.structuredFormat("TEXT")).isNull();
        assertThatThrownBy(() -> TracingDefaults.structuredFormat("xml"))
                .hasMessageContaining("text, json, ecs, logstash or gelf");
    }
}
