package io.txlab.platform.flows;

import io.txlab.contracts.Flow;
import java.util.Arrays;
import java.util.Set;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** The condition behind {@link ConditionalOnFlow}. */
class OnFlowCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Flow[] wanted = (Flow[]) metadata.getAnnotationAttributes(ConditionalOnFlow.class.getName()).get("value");
        Set<Flow> enabled = FlowsProperties.of(context.getEnvironment());
        boolean match = Arrays.stream(wanted).anyMatch(enabled::contains);
        String message = "@ConditionalOnFlow" + Arrays.toString(wanted) + ": " + FlowsProperties.KEY + " = " + enabled;
        return match ? ConditionOutcome.match(message) : ConditionOutcome.noMatch(message);
    }
}
