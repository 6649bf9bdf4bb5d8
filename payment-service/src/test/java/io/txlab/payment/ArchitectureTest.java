package io.txlab.payment;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The domain core is what every flow shares, so it must not know any of them. */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.txlab.payment");
    }

    @Test
    void domainCoreImportsNoMessagingWorkflowOrTwoPhaseCommitCode() {
        noClasses().that().resideInAPackage("..payment.payment..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.apache.kafka..", "org.springframework.kafka..", "io.temporal..", "io.debezium..")
                .because("every flow calls the same domain core; it must not depend on how it is called")
                .check(classes);
    }

    @Test
    void domainCoreImportsNoPatternOrApiPackage() {
        noClasses().that().resideInAPackage("..payment.payment..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.txlab.payment.choreography..", "io.txlab.payment.outbox..",
                        "io.txlab.payment.orchestration..", "io.txlab.payment.twopc..",
                        "io.txlab.payment.cockroach..", "io.txlab.payment.api..")
                .because("pattern packages and the REST API drive the domain core, never the other way round")
                .check(classes);
    }
}
