package org.sovereign.packs.signing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EcKeysTest {
    @Test
    void writesAndReadsBackAP256KeyPair(@TempDir Path dir) throws Exception {
        KeyPair pair = EcKeys.generate();
        Path priv = dir.resolve("publisher.key");
        Path pub = dir.resolve("publisher.pub");
        EcKeys.writePrivateKey(pair.getPrivate(), priv);
        EcKeys.writePublicKey(pair.getPublic(), pub);

        assertThat(Files.readString(priv)).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
        assertThat(Files.readString(pub)).startsWith("-----BEGIN PUBLIC KEY-----\n");
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(priv))).isEqualTo("rw-------");
        }
        PrivateKey readPriv = EcKeys.readPrivateKey(priv);
        PublicKey readPub = EcKeys.readPublicKey(pub);
        assertThat(readPriv.getEncoded()).isEqualTo(pair.getPrivate().getEncoded());
        assertThat(readPub.getEncoded()).isEqualTo(pair.getPublic().getEncoded());
        assertThat(((ECPublicKey) readPub).getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
        assertThat(Files.list(dir)).hasSize(2);

        OmsStatement statement = OmsStatement.of("m", List.of(new OmsResource("a", "sha256", "00".repeat(32))),
                List.of());
        OmsBundle bundle = new OmsSigner().sign(statement, new KeyPair(readPub, readPriv));
        assertThat(new OmsVerifier().signatureMatches(bundle, pair.getPublic())).isTrue();
    }

    @Test
    void keyIdIsTheSha256OfTheSpkiDer() throws Exception {
        PublicKey key = EcKeys.generate().getPublic();
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
        assertThat(KeyId.of(key)).isEqualTo(expected).hasSize(64);
        assertThat(KeyId.of(EcKeys.generate().getPublic())).isNotEqualTo(expected);
    }

    @Test
    void neverOverwritesAKeyFile(@TempDir Path dir) throws Exception {
        Path priv = dir.resolve("k.key");
        EcKeys.writePrivateKey(EcKeys.generate().getPrivate(), priv);
        String before = Files.readString(priv);
        assertThatThrownBy(() -> EcKeys.writePrivateKey(EcKeys.generate().getPrivate(), priv))
                .isInstanceOf(KeyFileException.class)
                .hasMessage("'k.key' already exists; key files are never overwritten.");
        assertThat(Files.readString(priv)).isEqualTo(before);
    }

    @Test
    void refusesFilesThatAreNotKeys(@TempDir Path dir) throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.pub"), "hello");
        assertThatThrownBy(() -> EcKeys.readPublicKey(junk)).isInstanceOf(KeyFileException.class)
                .hasMessage("'junk.pub' is not a PEM file with a 'PUBLIC KEY' block.");
        assertThatThrownBy(() -> EcKeys.readPublicKey(dir.resolve("absent.pub"))).isInstanceOf(KeyFileException.class)
                .hasMessage("The key file 'absent.pub' does not exist.");
    }
}
