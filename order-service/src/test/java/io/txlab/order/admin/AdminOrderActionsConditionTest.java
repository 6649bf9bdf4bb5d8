package io.txlab.order.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.txlab.order.order.OrderRepository;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** Operator actions write, so they exist only where asked for, like the dead-letter admin. */
class AdminOrderActionsConditionTest {

    // nothing here touches the database: the data source is never asked for a connection
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withBean(JdbcClient.class, () -> JdbcClient.create(new DriverManagerDataSource()))
            .withBean(OrderRepository.class)
            .withBean(OperatorActions.class)
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
