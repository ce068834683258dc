package org.sovereign.packs.generation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.packs.runtime.ModelLoadException;
import org.sovereign.packs.testing.TinyLlamaFixture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OnnxDecoderModelTest {

    private static Path copyFixture(Path dir) throws IOException {
        try (var files = Files.list(TinyLlamaFixture.DIR)) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        return dir;
    }

    private static void editConfig(Path dir, String from, String to) throws IOException {
        Path config = dir.resolve("config.json");
        String text = Files.readString(config);
        assertThat(text).contains(from);
        Files.writeString(config, text.replace(from, to));
    }

    @Test
    void aTruncatedModelFileIsATypedErrorNotAnOrtException(@TempDir Path dir) throws Exception {
        copyFixture(dir);
        byte[] bytes = Files.readAllBytes(dir.resolve("model.onnx"));
        Files.write(dir.resolve("model.onnx"), Arrays.copyOf(bytes, bytes.length / 3));

        assertThatThrownBy(() -> OnnxDecoderModel.open(dir))
                .isExactlyInstanceOf(ModelLoadException.class)
                .hasMessageContaining("could not load the model file")
                .hasMessageContaining("model.onnx");
    }

    @Test
    void aMissingModelFileIsATypedError(@TempDir Path dir) throws Exception {
        copyFixture(dir);
        Files.delete(dir.resolve("model.onnx"));

        assertThatThrownBy(() -> OnnxDecoderModel.open(dir))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("No model file");
    }

    @Test
    void aMissingConfigIsATypedError(@TempDir Path dir) throws Exception {
        copyFixture(dir);
        Files.delete(dir.resolve("config.json"));

        assertThatThrownBy(() -> OnnxDecoderModel.open(dir))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("config.json");
    }

    @Test
    void aModelWithFewerLayersThanItsConfigIsRefused(@TempDir Path dir) throws Exception {
        copyFixture(dir);
        editConfig(dir, "\"num_hidden_layers\": 2", "\"num_hidden_layers\": 3");

        assertThatThrownBy(() -> OnnxDecoderModel.open(dir))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("missing input 'past_key_values.2.key'")
                .hasMessageContaining("missing output 'present.2.value'");
    }

    @Test
    void aModelWithMoreLayersThanItsConfigIsRefused(@TempDir Path dir) throws Exception {
        copyFixture(dir);
        editConfig(dir, "\"num_hidden_layers\": 2", "\"num_hidden_layers\": 1");

        assertThatThrownBy(() -> OnnxDecoderModel.open(dir))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("unexpected input 'past_key_values.1.key'");
    }

    @Test
    void cacheShapesThatDisagreeWithTheConfigAreRefused(@TempDir Path dir) throws Exception {
        copyFixture(dir);
        editConfig(dir, "\"num_key_value_heads\": 2", "\"num_key_value_heads\": 4");

        assertThatThrownBy(() -> OnnxDecoderModel.open(dir))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("expected (batch, 4, past, 16)");
    }

    @Test
    void aSingleEosIdInGenerationConfigWinsOverTheConfigList(@TempDir Path dir) throws Exception {
        copyFixture(dir);
        Files.writeString(dir.resolve("generation_config.json"), "{\"eos_token_id\": 3}");
        editConfig(dir, "\"head_dim\": 16,", "");

        DecoderConfig config = DecoderConfig.read(dir);

        assertThat(config.eosTokenIds()).containsExactly(3L);
        assertThat(config.headDim()).as("hidden_size / num_attention_heads").isEqualTo(16);
    }

    @Test
    void threadCountMustBePositive() {
        assertThatThrownBy(() -> new DecoderOptions(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(DecoderOptions.defaults().intraOpThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void spinningCanBeTurnedOffWithoutChangingTheThreadCount() {
        DecoderOptions sleeping = new DecoderOptions(3).withSpinning(false);

        assertThat(sleeping.spinning()).isFalse();
        assertThat(sleeping.intraOpThreads()).isEqualTo(3);
        assertThat(sleeping.withSpinning(true).spinning()).isTrue();
    }
}
