package io.txlab.platform.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class ChaosAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ChaosAutoConfiguration.class));

    @Test
    void crashPointsAreUnreachableWithoutTheChaosProfile() {
        runner.withPropertyValues("txlab.chaos.crash-points=outbox.after-commit")
                .run(context -> {
                    CrashPoints points = context.getBean(CrashPoints.class);
                    assertThat(points.armedPoints()).isEmpty();
                    points.reach("outbox.after-commit");
                });
    }

    @Test
    void crashPointsAreArmedOnlyUnderTheChaosProfile() {
        runner.withPropertyValues("spring.profiles.active=chaos",
                        "txlab.chaos.crash-points=outbox.after-commit,twopc.after-decision-logged")
                .run(context -> assertThat(context.getBean(CrashPoints.class).armedPoints())
                        .containsExactlyInAnyOrder("outbox.after-commit", "twopc.after-decision-logged"));
    }

    @Test
    void anArmedPointCallsTheHalterAndOthersDoNot() {
        java.util.List<String> halted = new java.util.ArrayList<>();
        CrashPoints points = new CrashPoints(java.util.Set.of("a"), halted::add);
        points.reach("b");
        points.reach("a");
        assertThat(halted).containsExactly("a");
    }

    @Test
    void memoryPressureOnlyWithTheChaosProfileAndAFile() {
        runner.withPropertyValues("txlab.chaos.memory-pressure-file=/tmp/txlab-memory-pressure-test")
                .run(context -> assertThat(context).doesNotHaveBean(MemoryPressure.class));
        runner.withPropertyValues("spring.profiles.active=chaos")
                .run(context -> assertThat(context).doesNotHaveBean(MemoryPressure.class));
        runner.withPropertyValues("spring.profiles.active=chaos", "txlab.chaos.memory-pressure-file=/tmp/txlab-memory-pressure-test")
                .run(context -> assertThat(context).hasSingleBean(MemoryPressure.class));
    }
}
