package io.txlab.platform.chaos;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;

/**
 * Provides {@link CrashPoints}: armed only when the {@code chaos} profile is active; otherwise a disarmed instance,
 * whatever {@code txlab.chaos.crash-points} says. With the {@code chaos} profile and
 * {@code txlab.chaos.memory-pressure-file} set, also {@link MemoryPressure}.
 */
@AutoConfiguration
public class ChaosAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ChaosAutoConfiguration.class);

    @Bean
    @ConditionalOnMissingBean
    CrashPoints crashPoints(Environment environment) {
        @SuppressWarnings("unchecked")
        List<String> configured = environment.getProperty("txlab.chaos.crash-points", List.class, List.of());
        if (!environment.acceptsProfiles(Profiles.of("chaos"))) {
            if (!configured.isEmpty()) {
                log.warn("txlab.chaos.crash-points={} ignored: the 'chaos' profile is not active", configured);
            }
            return CrashPoints.disarmed();
        }
        log.warn("CHAOS profile active: crash points armed {}", configured);
        return CrashPoints.armed(new LinkedHashSet<>(configured));
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    @Profile("chaos")
    @ConditionalOnProperty("txlab.chaos.memory-pressure-file")
    MemoryPressure memoryPressure(Environment environment) {
        return new MemoryPressure(Path.of(environment.getRequiredProperty("txlab.chaos.memory-pressure-file")));
    }
}
