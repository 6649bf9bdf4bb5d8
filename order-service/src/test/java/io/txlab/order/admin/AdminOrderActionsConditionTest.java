package io.txlab.order.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Operator actions write, so they exist only where asked for, like the dead-letter admin. */
class AdminOrderActionsConditionTest {

    // Whether the controller is defined is the question; lazy, nothing is built, so it needs none of its collaborators.
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withInitializer(context -> context.addBeanFactoryPostProcessor(
                    new org.springframework.boot.LazyInitializationBeanFactoryPostProcessor()))
            .withUserConfiguration(AdminOrderActionsController.class);

    @Test
    void offUnlessEnabled() {
        runner.run(context -> assertThat(context).doesNotHaveBean(AdminOrderActionsController.class));
        runner.withPropertyValues("txlab.admin.actions.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(AdminOrderActionsController.class));
    }

    @Test
    void onWhenEnabled() {
        runner.withPropertyValues("txlab.admin.actions.enabled=true")
                .run(context -> assertThat(context).hasSingleBean(AdminOrderActionsController.class));
    }
}
