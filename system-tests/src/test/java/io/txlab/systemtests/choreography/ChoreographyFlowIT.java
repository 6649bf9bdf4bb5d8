package io.txlab.systemtests.choreography;

import io.txlab.contracts.Flow;

/**
 * Flow {@code choreography} end to end: services react to each other's Kafka events, each publishing directly after
 * its local commit. The loss window of that publish is described (not tested away) in the choreography ADR.
 */
class ChoreographyFlowIT extends EventDrivenFlowScenarios {

    @Override
    protected Flow flow() {
        return Flow.CHOREOGRAPHY;
    }
}
