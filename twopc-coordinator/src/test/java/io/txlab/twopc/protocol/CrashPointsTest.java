package io.txlab.twopc.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.txlab.platform.chaos.ChaosAutoConfiguration;
import io.txlab.platform.chaos.CrashPoints;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The coordinator's crash points can only fire with the chaos profile active. */
class CrashPointsTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ChaosAutoConfiguration.class))
            .withPropertyValues("txlab.chaos.crash-points=" + Coordinator.AFTER_DECISION_LOGGED + ","
                    + Coordinator.AFTER_PREPARE_BEFORE_DECISION);

    @Test
    void configuredCrashPointsAreUnreachableWithoutTheChaosProfile() {
        context.run(ctx -> {
            CrashPoints crashPoints = ctx.getBean(CrashPoints.class);
            assertThat(crashPoints.armedPoints()).isEmpty();
            // Would halt the test JVM (exit 137) if armed.
            crashPoints.reach(Coordinator.AFTER_DECISION_LOGGED);
            crashPoints.reach(Coordinator.AFTER_PREPARE_BEFORE_DECISION);
        });
    }

    @Test
    void theChaosProfileArmsThem() {
        context.withPropertyValues("spring.profiles.active=chaos").run(ctx -> assertThat(
                ctx.getBean(CrashPoints.class).armedPoints())
                .containsExactlyInAnyOrder(Coordinator.AFTER_DECISION_LOGGED, Coordinator.AFTER_PREPARE_BEFORE_DECISION));
    }
}
