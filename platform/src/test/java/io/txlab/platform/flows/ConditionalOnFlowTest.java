package io.txlab.platform.flows;

import static org.assertj.core.api.Assertions.assertThat;

import io.txlab.contracts.Flow;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code txlab.flows.enabled}: the one switch, its default, and the errors a wrong value gets. */
class ConditionalOnFlowTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(FlowsAutoConfiguration.class))
            .withUserConfiguration(PerFlow.class);

    @Test
    void unsetMeansEveryFlow() {
        runner.run(context -> {
            assertThat(context).hasBean("twopcOnly").hasBean("kafkaFlows").hasBean("cockroachOnly");
            assertThat(context.getBean(FlowsProperties.class).flows()).containsExactly(Flow.values());
        });
    }

    @Test
    void aFlowLeftOutHasNoBeans() {
        runner.withPropertyValues("txlab.flows.enabled=twopc,cockroach").run(context ->
                assertThat(context).hasBean("twopcOnly").hasBean("cockroachOnly").doesNotHaveBean("kafkaFlows"));
    }

    @Test
    void anyOfTheListedFlowsSwitchesABeanOn() {
        runner.withPropertyValues("txlab.flows.enabled=outbox").run(context ->
                assertThat(context).hasBean("kafkaFlows").doesNotHaveBean("twopcOnly").doesNotHaveBean("cockroachOnly"));
    }

    @Test
    void spacesAroundIdsAreAllowed() {
        runner.withPropertyValues("txlab.flows.enabled= twopc , outbox").run(context ->
                assertThat(context.getBean(FlowsProperties.class).flows()).containsExactly(Flow.OUTBOX, Flow.TWOPC));
    }

    @Test
    void anEmptyListRunsNoFlow() {
        runner.withPropertyValues("txlab.flows.enabled=").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean("twopcOnly").doesNotHaveBean("kafkaFlows");
            assertThat(context.getBean(FlowsProperties.class).flows()).isEmpty();
        });
    }

    @Test
    void anUnknownFlowStopsTheStartNamingTheValidOnes() {
        runner.withPropertyValues("txlab.flows.enabled=twopc,sagas").run(context ->
                assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("txlab.flows.enabled: unknown flow 'sagas'")
                        .hasMessageContaining(Flow.ids()));
    }

    @Test
    void aReplacedSwitchStopsTheStartNamingItsReplacement() {
        for (String key : FlowsAutoConfiguration.REPLACED) {
            runner.withPropertyValues(key + "=false").run(context ->
                    assertThat(context).hasFailed().getFailure().rootCause()
                            .hasMessageContaining(key + " is no longer read")
                            .hasMessageContaining("txlab.flows.enabled"));
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class PerFlow {

        @Bean
        @ConditionalOnFlow(Flow.TWOPC)
        String twopcOnly() {
            return "twopc";
        }

        @Bean
        @ConditionalOnFlow({Flow.CHOREOGRAPHY, Flow.OUTBOX})
        String kafkaFlows() {
            return "kafka";
        }

        @Bean
        @ConditionalOnFlow(Flow.COCKROACH)
        String cockroachOnly() {
            return "cockroach";
        }
    }
}
