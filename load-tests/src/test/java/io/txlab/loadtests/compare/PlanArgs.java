package io.txlab.loadtests.compare;

import picocli.CommandLine;

/** The plan {@code ./txlab compare} makes of its arguments, for tests of what a plan runs. */
final class PlanArgs {

    private PlanArgs() {
    }

    static Plan plan(String... args) {
        CompareCommand command = new CompareCommand();
        new CommandLine(command).parseArgs(args);
        return command.plan();
    }
}
