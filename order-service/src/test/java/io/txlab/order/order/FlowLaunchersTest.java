package io.txlab.order.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.txlab.contracts.Flow;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlowLaunchersTest {

    @Test
    void namesTheImplementedFlowsWhenRefusingOne() {
        FlowLaunchers launchers = new FlowLaunchers(List.of(launcher(Flow.OUTBOX), launcher(Flow.CHOREOGRAPHY)));

        assertThat(launchers.require(Flow.OUTBOX).flow()).isEqualTo(Flow.OUTBOX);
        assertThatThrownBy(() -> launchers.require(Flow.TWOPC))
                .isInstanceOf(FlowNotImplementedException.class)
                .hasMessage("flow 'twopc' is not implemented in this build (implemented: choreography, outbox)");
    }

    @Test
    void saysNoneWhenNothingIsImplemented() {
        assertThatThrownBy(() -> new FlowLaunchers(List.<FlowLauncher>of()).require(Flow.COCKROACH))
                .hasMessage("flow 'cockroach' is not implemented in this build (implemented: none)");
    }

    @Test
    void refusesTwoLaunchersForOneFlow() {
        assertThatThrownBy(() -> new FlowLaunchers(List.of(launcher(Flow.TWOPC), launcher(Flow.TWOPC))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("two launchers for flow 'twopc'");
    }

    private static FlowLauncher launcher(Flow flow) {
        return new FlowLauncher() {
            @Override
            public Flow flow() {
                return flow;
            }

            @Override
            public void start(Order order) {
            }
        };
    }
}
