package io.txlab.order;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The domain core is what every flow calls, so it must not know any flow, transport or the REST layer. */
@AnalyzeClasses(packages = "io.txlab.order",
        importOptions = {ImportOption.DoNotIncludeTests.class, ImportOption.DoNotIncludeJars.class})
class ArchitectureTest {

    @ArchTest
    static final ArchRule domainCoreImportsNoMessagingWorkflowOr2pc = noClasses()
            .that().resideInAPackage("io.txlab.order.order..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.apache.kafka..", "org.springframework.kafka..", "io.temporal..", "io.debezium..")
            .because("the domain core is shared by every flow and must stay free of their transports");

    @ArchTest
    static final ArchRule domainCoreKnowsNoFlowPackageNorApi = noClasses()
            .that().resideInAPackage("io.txlab.order.order..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "io.txlab.order.choreography..", "io.txlab.order.outbox..", "io.txlab.order.orchestration..",
                    "io.txlab.order.twopc..", "io.txlab.order.cockroach..", "io.txlab.order.api..",
                    "io.txlab.order.catalogue..")
            .because("flows and the REST API drive the domain core, never the other way round");

    @ArchTest
    static final ArchRule flowPackagesDoNotUseTheRestLayer = noClasses()
            .that().resideInAnyPackage("io.txlab.order.choreography..", "io.txlab.order.outbox..",
                    "io.txlab.order.orchestration..", "io.txlab.order.twopc..", "io.txlab.order.cockroach..")
            .should().dependOnClassesThat().resideInAPackage("io.txlab.order.api..")
            .allowEmptyShould(true)
            .because("flow packages call the domain core, not the REST layer");
}
