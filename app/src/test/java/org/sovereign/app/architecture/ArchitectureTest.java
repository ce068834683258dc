package org.sovereign.app.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The module layout of ADR-0001 and ADR-0008, checked on the production classes of every module: the domain and
 * use-case modules never touch JavaFX, ControlsFX, picocli, the desktop or the CLI; the desktop never uses the CLI; and
 * no two packages depend on each other, between modules or inside core. Each rule is also run against a deliberate
 * violation, so it is known to fail.
 */
class ArchitectureTest {

    private static final String[] BELOW_THE_UI = {"org.sovereign.store..", "org.sovereign.packs..", "org.sovereign.mesh..",
            "org.sovereign.core..", "org.sovereign.server.."};
    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.sovereign");
        assertThat(production.contain("org.sovereign.packs.runtime.OnnxRuntimeInfo"))
                .as("the domain modules' classes are on the test classpath").isTrue();
        assertThat(production.contain("org.sovereign.core.UnlockedWorkspace")).as("core is on the classpath").isTrue();
        assertThat(production.contain("org.sovereign.cli.SovereignCli")).as("the CLI is on the classpath").isTrue();
        assertThat(production.contain("org.sovereign.server.ApiServer")).as("the local API is on the classpath").isTrue();
    }

    static ArchRule staysFreeOfUi(String... packages) {
        return noClasses().that().resideInAnyPackage(packages)
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.controlsfx..", "org.sovereign.app..",
                        "picocli..", "org.sovereign.cli..")
                .because("local-store, model-packs, mesh, core and the local API server must run without a desktop "
                        + "or a command line (ADR-0001, ADR-0008)");
    }

    static ArchRule desktopDoesNotUseTheCli(String... packages) {
        return noClasses().that().resideInAnyPackage(packages)
                .should().dependOnClassesThat().resideInAnyPackage("org.sovereign.cli..", "picocli..")
                .because("the window and the command line are both thin over core (ADR-0008)");
    }

    /** Constructors and methods that open a socket, by declaring type. */
    private static final Map<String, Set<String>> OPENS_A_SOCKET = Map.of(
            "java.net.Socket", Set.of("<init>"),
            "java.net.ServerSocket", Set.of("<init>"),
            "java.net.DatagramSocket", Set.of("<init>"),
            "java.net.URL", Set.of("openConnection", "openStream"),
            "java.net.http.HttpClient", Set.of("newHttpClient", "newBuilder"),
            "java.nio.channels.SocketChannel", Set.of("open"),
            "java.nio.channels.ServerSocketChannel", Set.of("open"),
            "java.nio.channels.DatagramChannel", Set.of("open"),
            "java.nio.channels.AsynchronousSocketChannel", Set.of("open"),
            "java.nio.channels.AsynchronousServerSocketChannel", Set.of("open"));
    private static final Set<String> HTTP_SERVERS = Set.of("com.sun.net.httpserver.HttpServer",
            "com.sun.net.httpserver.HttpsServer");

    static ArchRule opensSocketsOnlyThroughTheEgressGuard(String... packages) {
        DescribedPredicate<JavaCall<?>> opensSocket = DescribedPredicate.describe("open a socket", call -> {
            JavaClass owner = call.getTargetOwner();
            String name = call.getName();
            if (HTTP_SERVERS.contains(owner.getName()) && name.equals("create")) {
                return true;
            }
            return OPENS_A_SOCKET.entrySet().stream().anyMatch(e -> owner.isAssignableTo(e.getKey())
                    && e.getValue().contains(name));
        });
        return noClasses().that().resideInAnyPackage(packages).and().resideOutsideOfPackage("org.sovereign.store.egress..")
                .should().callCodeUnitWhere(opensSocket)
                .because("every socket goes through the egress guard, which checks consent and writes the audit log "
                        + "(ADR-0010)");
    }

    static ArchRule noCycles(String pattern) {
        return slices().matching(pattern).should().beFreeOfCycles();
    }

    @Test
    void domainAndUseCaseModulesDoNotDependOnJavaFxPicocliOrTheirCallers() {
        staysFreeOfUi(BELOW_THE_UI).check(production);
    }

    @Test
    void socketsAreOpenedOnlyByTheEgressGuard() {
        opensSocketsOnlyThroughTheEgressGuard("org.sovereign..").check(production);
    }

    @Test
    void theDesktopDoesNotUseTheCommandLine() {
        desktopDoesNotUseTheCli("org.sovereign.app.ui..").check(production);
    }

    @Test
    void modulesAndCorePackagesHaveNoCycles() {
        noCycles("org.sovereign.(*)..").check(production);
        noCycles("org.sovereign.core.(*)..").check(production);
        noCycles("org.sovereign.app.ui.(*)..").check(production);
    }

    @Test
    void theRulesCatchViolations() {
        JavaClasses fixture = new ClassFileImporter().importPackages("org.sovereign.archfixture");

        assertThatThrownBy(() -> staysFreeOfUi("org.sovereign.archfixture..").check(fixture))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("javafx.beans.property.SimpleStringProperty");
        assertThatThrownBy(() -> desktopDoesNotUseTheCli("org.sovereign.archfixture..").check(fixture))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("org.sovereign.cli.SovereignCli");
        assertThatThrownBy(() -> opensSocketsOnlyThroughTheEgressGuard("org.sovereign.archfixture..").check(fixture))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("java.net.Socket.<init>()")
                .hasMessageContaining("java.net.URL.openStream()");
        assertThatThrownBy(() -> noCycles("org.sovereign.archfixture.cycle.(*)..").check(fixture))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Cycle detected");
    }
}
