package org.sovereign.packs.privacy;

import org.sovereign.packs.runtime.OrtEnvironments;
import org.sovereign.packs.tokenizer.TextTokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Child-process entry point for {@link NativeLibraryLoadTest}: loads the tokenizer of the model at {@code args[0]}
 * and ONNX Runtime the way the product does, encodes a text, then prints, for each native library of ours that the
 * process mapped, the file it was mapped from and the SHA-256 of the mapped file (read through
 * {@code /proc/self/map_files}, which still works after the file was deleted).
 */
public final class NativeLibraryChildMain {

    private NativeLibraryChildMain() {
    }

    public static void main(String[] args) throws IOException, NoSuchAlgorithmException {
        try (TextTokenizer tokenizer = TextTokenizer.load(Path.of(args[0]))) {
            System.out.println("ids " + Arrays.toString(tokenizer.encode("Hello there", true)));
        }
        System.out.println("runtime " + OrtEnvironments.get().getVersion());
        List<String> maps = Files.readAllLines(Path.of("/proc/self/maps"));
        for (String name : List.of("libtokenizers", "libonnxruntime.so")) {
            String line = maps.stream().filter(l -> l.contains("/" + name)).findFirst().orElse(null);
            if (line == null) {
                System.out.println("mapped " + name + " none");
                continue;
            }
            String range = line.substring(0, line.indexOf(' '));
            String file = line.substring(line.indexOf('/')).trim();
            byte[] bytes = Files.readAllBytes(Path.of("/proc/self/map_files", range));
            String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            System.out.println("mapped " + name + " " + digest + " " + file);
        }
    }
}
