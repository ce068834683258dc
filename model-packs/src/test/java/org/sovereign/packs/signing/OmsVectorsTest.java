package org.sovereign.packs.signing;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The key-based OMS v1.0 test vectors from ossf/model-signing-spec (see oms-vectors/README.md). */
class OmsVectorsTest {

    private static byte[] vector(String path) throws IOException {
        try (InputStream in = OmsVectorsTest.class.getResourceAsStream("/oms-vectors/v1.0/" + path)) {
            assertThat(in).as(path).isNotNull();
            return in.readAllBytes();
        }
    }

    @Test
    void theValidKeyBundleParsesAndItsStatementIsConsistent() throws IOException {
        OmsBundle bundle = OmsBundle.parse(vector("valid/key.bundle.json"));
        assertThat(bundle.keyHint()).contains("e8450dec4eb99dae995da9af1bc2cc9f76ed669ee2e744f57abba763df3e3f8e");
        assertThat(bundle.rawPublicKey()).isEmpty();

        OmsStatement statement = OmsStatement.parse(bundle.payload());
        assertThat(statement.subjectName()).isEqualTo("model");
        assertThat(statement.subjectDigest())
                .isEqualTo("92745110b1ab4368471cbe31664e10174e954b113a3df333db860317b2c6dec4")
                .isEqualTo(OmsStatement.rootDigest(statement.resources()));
        assertThat(statement.resources()).containsExactly(
                new OmsResource("signme-1", "sha256", "bc9a717db6064a32cbe9eae6fc40651dd6d36ef1757183f590eff2b1765d7ebc"),
                new OmsResource("signme-2", "sha256", "32dcb1f8e1ae52d5963e56a6ba06ab58b424c15ed2a6b70d2feca1d089370028"));
        assertThat(statement.serialization().allowSymlinks()).isFalse();
        assertThat(statement.serialization().ignorePaths()).contains("ignore-me", ".git");
    }

    @Test
    void theValidKeyBundleIsNotTrustedWithKeysWeHold() throws IOException {
        OmsBundle bundle = OmsBundle.parse(vector("valid/key.bundle.json"));
        TrustResult result = TrustPolicy.publishers(EcKeys.generate().getPublic())
                .evaluate(Map.of("model.sig", bundle));
        assertThat(result.verdict()).isInstanceOf(Verdict.UntrustedSignature.class);
        assertThat(result.verdict().trusted()).isFalse();
    }

    @Test
    void theMissingEnvelopeBundleIsRefused() {
        assertThatThrownBy(() -> OmsBundle.parse(vector("invalid/missing-envelope.bundle.json")))
                .isInstanceOf(BundleFormatException.class)
                .hasMessage("The signature bundle has no object 'dsseEnvelope'.");
    }

    @Test
    void theWrongPredicateBundleIsRefused() throws IOException {
        OmsBundle bundle = OmsBundle.parse(vector("invalid-payload/wrong-predicate.bundle.json"));
        assertThatThrownBy(() -> OmsStatement.parse(bundle.payload()))
                .isInstanceOf(BundleFormatException.class)
                .hasMessage("The signed statement has predicateType 'https://example.com/wrong-predicate/v1.0', "
                        + "not the OMS v1.0 type https://model_signing/signature/v1.0.");
        Verdict verdict = TrustPolicy.none().evaluate(Map.of("model.sig", bundle)).verdict();
        assertThat(verdict).isInstanceOf(Verdict.Invalid.class);
        assertThat(verdict.describe()).startsWith("model.sig: The signed statement has predicateType");
    }

    @Test
    void theValidStatementWithAnAlteredDigestFailsTheRootDigestCheck() throws IOException {
        OmsStatement good = OmsStatement.parse(OmsBundle.parse(vector("valid/key.bundle.json")).payload());
        List<OmsResource> altered = List.of(good.resources().get(0),
                new OmsResource("signme-2", "sha256", "00".repeat(32)));
        OmsStatement forged = new OmsStatement(good.subjectName(), good.subjectDigest(), altered, good.serialization());
        assertThatThrownBy(() -> OmsStatement.parse(forged.toJson()))
                .isInstanceOf(BundleFormatException.class)
                .hasMessage("The signed statement's subject digest does not match its resources.");
    }
}
