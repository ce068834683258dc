package org.sovereign.app.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ADR-0001: the domain modules never touch JavaFX, ControlsFX or the app. */
class ArchitectureTest {

    private static final String[] DOMAIN = {"org.sovereign.store..", "org.sovereign.packs..", "org.sovereign.mesh.."};

    static ArchRule domainStaysFreeOfUi(String... packages) {
        return noClasses().that().resideInAnyPackage(packages)
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.controlsfx..", "org.sovereign.app..")
                .because("local-store, model-packs and mesh must run without a desktop (ADR-0001)");
    }

    @Test
    void domainModulesDoNotDependOnJavaFxOrTheApp() {
        JavaClasses production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.sovereign");
        assertThat(production.contain("org.sovereign.packs.runtime.OnnxRuntimeInfo"))
                .as("the domain modules' classes are on the test classpath").isTrue();

        domainStaysFreeOfUi(DOMAIN).check(production);
    }

    @Test
    void theRuleCatchesADomainClassThatUsesJavaFx() {
        JavaClasses fixture = new ClassFileImporter().importPackages("org.sovereign.archfixture");

        assertThatThrownBy(() -> domainStaysFreeOfUi("org.sovereign.archfixture..").check(fixture))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("javafx.beans.property.SimpleStringProperty");
    }
}
