package io.txlab.platform.flows;

import io.txlab.contracts.Flow;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Conditional;

/**
 * Matches when at least one of {@link #value()} is in {@code txlab.flows.enabled} ({@link FlowsProperties}). Put it on
 * every bean or configuration that exists for a flow: the flow's package in each service, and the platform's
 * infrastructure that only a flow needs (Kafka for {@code choreography} and {@code outbox}, Temporal for
 * {@code orchestration}, the participant side of {@code twopc}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Documented
@Conditional(OnFlowCondition.class)
public @interface ConditionalOnFlow {

    /** The flows any one of which switches the annotated element on. */
    Flow[] value();
}
