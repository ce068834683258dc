package org.sovereign.packs.signing;

import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrustPolicyTest {
    private final OmsSigner signer = new OmsSigner();
    private final KeyPair publisher = EcKeys.generate();
    private final KeyPair a = EcKeys.generate();
    private final KeyPair b = EcKeys.generate();
    private final KeyPair c = EcKeys.generate();
    private final OmsStatement statement = OmsStatement.of("pack-1.0",
            List.of(new OmsResource("manifest.json", "sha256", "11".repeat(32)),
                    new OmsResource("model.onnx", "sha256", "22".repeat(32))), List.of("model.sig", "signatures"));

    private final TrustPolicy policy = new TrustPolicy(List.of(publisher.getPublic()),
            List.of(new Cooperative("village", List.of(a.getPublic(), b.getPublic(), c.getPublic()), 2)));

    private Map<String, OmsBundle> bundles(KeyPair first, KeyPair... cosigners) {
        Map<String, OmsBundle> out = new LinkedHashMap<>();
        OmsBundle primary = signer.sign(statement, first);
        out.put("model.sig", primary);
        int i = 1;
        for (KeyPair k : cosigners) {
            out.put("signatures/" + i++ + ".sig", signer.cosign(primary, k));
        }
        return out;
    }

    @Test
    void aTrustedPublisherSignatureIsTrusted() {
        TrustResult result = policy.evaluate(bundles(publisher));
        assertThat(result.verdict()).isEqualTo(new Verdict.TrustedPublisher(KeyId.of(publisher.getPublic())));
        assertThat(result.verdict().trusted()).isTrue();
        assertThat(result.statement()).contains(statement);
    }

    @Test
    void anUnknownKeyIsUntrusted() {
        Verdict v = policy.evaluate(bundles(EcKeys.generate())).verdict();
        assertThat(v.status()).isEqualTo(Verdict.Status.UNTRUSTED_SIGNATURE);
        assertThat(v.trusted()).isFalse();
        assertThat(v.describe()).isEqualTo("Signed only by keys this workstation does not trust.");
    }

    @Test
    void aCooperativeThresholdIsMetByTwoOfThree() {
        Verdict v = policy.evaluate(bundles(a, c)).verdict();
        assertThat(v).isEqualTo(new Verdict.CooperativeThreshold("village", 2, 3,
                List.of(KeyId.of(a.getPublic()), KeyId.of(c.getPublic()))));
        assertThat(v.trusted()).isTrue();
        assertThat(v.describe()).isEqualTo("Signed by 2 of the 3 keys of cooperative 'village' (2 required).");
    }

    @Test
    void aCooperativeThresholdIsNotMetByOneKeyEvenIfItSignsTwice() {
        Verdict v = policy.evaluate(bundles(a, a, EcKeys.generate())).verdict();
        assertThat(v).isInstanceOf(Verdict.UntrustedSignature.class);
        assertThat(((Verdict.UntrustedSignature) v).signerKeyIds()).containsExactly(KeyId.of(a.getPublic()));
        assertThat(v.describe()).isEqualTo("Signed by 1 of the 3 keys of cooperative 'village', but 2 are required.");
    }

    @Test
    void aCooperativeVouchesOnlyForThePacksItAdopted() {
        Cooperative adopted = new Cooperative("village", List.of(a.getPublic(), b.getPublic(), c.getPublic()), 2,
                java.util.Optional.of(java.util.Set.of("sha256:" + statement.subjectDigest())));
        Cooperative other = new Cooperative("village", List.of(a.getPublic(), b.getPublic(), c.getPublic()), 2,
                java.util.Optional.of(java.util.Set.of("sha256:" + "00".repeat(32))));

        assertThat(new TrustPolicy(List.of(), List.of(adopted)).evaluate(bundles(a, c)).verdict().trusted()).isTrue();
        Verdict refused = new TrustPolicy(List.of(), List.of(other)).evaluate(bundles(a, c)).verdict();
        assertThat(refused.trusted()).isFalse();
        assertThat(refused.describe()).isEqualTo("Signed by 2 of the 3 keys of cooperative 'village', but the "
                + "cooperative has not adopted this pack.");
    }

    @Test
    void noSignatureIsUnsigned() {
        TrustResult r = policy.evaluate(Map.of());
        assertThat(r.verdict().status()).isEqualTo(Verdict.Status.UNSIGNED);
        assertThat(r.statement()).isEmpty();
    }

    @Test
    void aBadSignatureFromAKnownKeyIsInvalid() {
        OmsBundle good = signer.sign(statement, publisher);
        byte[] sig = good.signature();
        sig[sig.length - 1] ^= 1;
        OmsBundle broken = new OmsBundle(good.keyHint().orElseThrow(), null, good.payload(), sig);
        Verdict v = policy.evaluate(Map.of("model.sig", broken)).verdict();
        assertThat(v.status()).isEqualTo(Verdict.Status.INVALID);
        assertThat(v.describe()).isEqualTo("model.sig: the signature does not verify with key "
                + KeyId.shortForm(KeyId.of(publisher.getPublic())) + ".");
    }

    @Test
    void signaturesOverDifferentContentsAreInvalid() {
        Map<String, OmsBundle> map = bundles(a);
        OmsStatement other = OmsStatement.of("pack-1.0",
                List.of(new OmsResource("model.onnx", "sha256", "33".repeat(32))), List.of());
        map.put("signatures/b.sig", signer.sign(other, b));
        Verdict v = policy.evaluate(map).verdict();
        assertThat(v).isEqualTo(new Verdict.Invalid("signatures/b.sig and model.sig sign different contents."));
    }

    @Test
    void aRawBytesKeyIdentifiesTheKeyToo() {
        OmsBundle viaHint = signer.sign(statement, publisher);
        OmsBundle viaRaw = new OmsBundle(null, publisher.getPublic().getEncoded(), viaHint.payload(), viaHint.signature());
        OmsBundle reparsed = OmsBundle.parse(viaRaw.toJson());
        assertThat(reparsed.rawPublicKey()).isPresent();
        assertThat(new String(viaRaw.toJson())).contains(Base64.getEncoder().encodeToString(publisher.getPublic().getEncoded()));
        assertThat(policy.evaluate(Map.of("model.sig", reparsed)).verdict().status())
                .isEqualTo(Verdict.Status.TRUSTED_PUBLISHER);
    }

    @Test
    void aCooperativeNeedsASensibleThreshold() {
        assertThatThrownBy(() -> new Cooperative("x", List.of(a.getPublic()), 2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Cooperative("x", List.of(a.getPublic(), a.getPublic()), 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
