package org.sovereign.cli;

import org.sovereign.core.common.UserFacingException;
import picocli.CommandLine.Option;

import java.io.Console;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Where a command gets the vault passphrase: {@code --passphrase-file FILE} (first line), else the
 * {@code SOVEREIGN_PASSPHRASE} environment variable, else a prompt on the terminal. The caller owns the returned
 * array and must wipe it.
 */
final class PassphraseOptions {

    static final String ENV = "SOVEREIGN_PASSPHRASE";

    @Option(names = "--passphrase-file", paramLabel = "FILE", description = "Read the passphrase from the first line of FILE.")
    Path passphraseFile;

    Map<String, String> environment = System.getenv();

    char[] read(String prompt, boolean confirm) {
        if (passphraseFile != null) {
            return fromFile(passphraseFile);
        }
        String env = environment.get(ENV);
        if (env != null && !env.isEmpty()) {
            return env.toCharArray();
        }
        Console console = System.console();
        if (console == null) {
            throw new UserFacingException("No passphrase given: use --passphrase-file FILE or set " + ENV + ".");
        }
        char[] first = console.readPassword("%s: ", prompt);
        if (first == null || first.length == 0) {
            throw new UserFacingException("No passphrase was entered.");
        }
        if (confirm) {
            char[] again = console.readPassword("Repeat it: ");
            boolean same = Arrays.equals(first, again);
            if (again != null) {
                Arrays.fill(again, '\0');
            }
            if (!same) {
                Arrays.fill(first, '\0');
                throw new UserFacingException("The two passphrases differ. Nothing was changed.");
            }
        }
        return first;
    }

    static char[] fromFile(Path file) {
        byte[] bytes = null;
        try {
            bytes = Files.readAllBytes(file);
            int end = 0;
            while (end < bytes.length && bytes[end] != '\n' && bytes[end] != '\r') {
                end++;
            }
            CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes, 0, end));
            char[] out = new char[chars.remaining()];
            chars.get(out);
            Arrays.fill(chars.array(), '\0');
            if (out.length == 0) {
                throw new UserFacingException("The passphrase file " + file + " is empty.");
            }
            return out;
        } catch (IOException e) {
            throw new UserFacingException("The passphrase file " + file + " cannot be read.", e);
        } finally {
            if (bytes != null) {
                Arrays.fill(bytes, (byte) 0);
            }
        }
    }
}
