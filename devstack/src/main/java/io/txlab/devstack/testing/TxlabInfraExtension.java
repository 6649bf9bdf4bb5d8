package io.txlab.devstack.testing;

import io.txlab.devstack.kafka.KafkaBroker;
import io.txlab.devstack.postgres.PostgresCluster;
import io.txlab.devstack.temporal.TemporalServer;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * {@code @ExtendWith(TxlabInfraExtension.class)}: test methods and constructors may declare parameters of type
 * {@link PostgresCluster}, {@link KafkaBroker} or {@link TemporalServer} and get the {@link TestInfra}
 * singletons, started on first use and shared by every test in the JVM.
 */
public final class TxlabInfraExtension implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == PostgresCluster.class || type == KafkaBroker.class || type == TemporalServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (type == PostgresCluster.class) {
            return TestInfra.postgres();
        }
        if (type == KafkaBroker.class) {
            return TestInfra.kafka();
        }
        if (type == TemporalServer.class) {
            return TestInfra.temporal();
        }
        throw new ParameterResolutionException("unsupported parameter type " + type.getName());
    }
}
