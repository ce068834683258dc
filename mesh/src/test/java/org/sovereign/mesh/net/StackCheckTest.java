package org.sovereign.mesh.net;

import org.junit.jupiter.api.Test;
import org.sovereign.mesh.log.LogSync;
import org.sovereign.mesh.log.MemoryRecordStore;
import org.sovereign.mesh.log.MeshLog;
import org.sovereign.mesh.log.RecordSigner;
import org.sovereign.store.egress.EgressGuard;

import java.io.InputStream;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StackCheckTest {
    private static final MeshProfile PROFILE = MeshProfile.defaults("coop-1", 7800, List.of());

    @Test
    void theMeshsOwnProfilePasses() {
        assertThat(StackCheck.refusal(PROFILE.protocols())).isEmpty();
        assertThat(PROFILE.describe()).isEqualTo("TCP TCPPING MERGE3 FD_ALL3 VERIFY_SUSPECT2 BARRIER ASYM_ENCRYPT "
                + "pbcast.NAKACK2 UNICAST3 pbcast.STABLE pbcast.GMS UFC MFC FRAG4");
    }

    @Test
    void rsaKeysShorterThan3072BitsAreRefused() {
        assertThat(StackCheck.refusal(PROFILE.withCrypto(2048, MeshProfile.SYM_ALGORITHM).protocols()))
                .contains("The mesh configuration uses 2048-bit RSA keys, which are too weak; at least 3072 bits are "
                        + "required.");
        assertThat(StackCheck.refusal(PROFILE.withCrypto(3072, MeshProfile.SYM_ALGORITHM).protocols())).isEmpty();
    }

    @Test
    void ecbIsRefusedIncludingJGroupsDefaultPlainAes() {
        assertThat(StackCheck.refusal(PROFILE.withCrypto(4096, "AES").protocols()))
                .hasValueSatisfying(reason -> assertThat(reason).contains("'AES', which is ECB mode"));
        assertThat(StackCheck.refusal(PROFILE.withCrypto(4096, "AES/ECB/PKCS5Padding").protocols()))
                .hasValueSatisfying(reason -> assertThat(reason).contains("ECB mode"));
    }

    @Test
    void jgroupsSampleAsymEncryptXmlIsRefusedForItsRsa512Keys() throws Exception {
        try (InputStream xml = org.jgroups.JChannel.class.getClassLoader().getResourceAsStream("asym-encrypt.xml")) {
            assertThat(xml).as("JGroups ships asym-encrypt.xml").isNotNull();
            assertThat(StackCheck.refusal(xml)).contains("The mesh configuration uses 512-bit RSA keys, which are too "
                    + "weak; at least 3072 bits are required.");
        }
    }

    @Test
    void jgroupsPlainTcpStackIsRefusedForHavingNoEncryption() throws Exception {
        try (InputStream xml = org.jgroups.JChannel.class.getClassLoader().getResourceAsStream("tcp.xml")) {
            assertThat(StackCheck.refusal(xml))
                    .contains("The mesh configuration does not encrypt the channel (ASYM_ENCRYPT is missing).");
        }
    }

    @Test
    void aWeakProfileStopsTheMemberBeforeAnySocketIsOpened() {
        List<String> ledger = new CopyOnWriteArrayList<>();
        EgressGuard guard = new EgressGuard(request -> "started-by-user", (type, refs) -> ledger.add(type));
        LogSync sync = new LogSync(new MeshLog("coop-1", RecordSigner.generate(), new MemoryRecordStore(),
                Clock.systemUTC()));

        assertThatThrownBy(() -> MeshNode.join(PROFILE.withCrypto(512, "AES"), sync, guard, () -> null, null))
                .isInstanceOf(WeakMeshConfigurationException.class)
                .hasMessage("The mesh configuration uses 512-bit RSA keys, which are too weak; at least 3072 bits are "
                        + "required.");
        assertThat(ledger).isEmpty();
    }
}
