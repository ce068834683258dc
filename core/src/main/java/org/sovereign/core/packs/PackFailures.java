package org.sovereign.core.packs;

import org.sovereign.core.common.UserFacingException;
import org.sovereign.packs.embedding.EmbeddingException;
import org.sovereign.packs.generation.GenerationException;
import org.sovereign.packs.pack.PackException;
import org.sovereign.packs.runtime.ModelLoadException;
import org.sovereign.packs.signing.OmsException;
import org.sovereign.packs.template.ChatTemplateException;
import org.sovereign.packs.tokenizer.TokenizerLoadException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/** Maps the model-packs library's typed failures to {@link UserFacingException}s with one plain line. */
final class PackFailures {

    private PackFailures() {
    }

    /** A pack operation that may throw library failures or I/O errors. */
    @FunctionalInterface
    interface Call<T> {
        T run() throws IOException;
    }

    static <T> T translate(Call<T> call) {
        try {
            return call.run();
        } catch (PackException | OmsException | ModelLoadException | TokenizerLoadException | ChatTemplateException
                 | GenerationException | EmbeddingException e) {
            throw new UserFacingException(oneLine(e.getMessage()), e);
        } catch (NoSuchFileException e) {
            throw new UserFacingException("The file " + e.getFile() + " does not exist.", e);
        } catch (AccessDeniedException e) {
            throw new UserFacingException("Access to " + e.getFile() + " was denied.", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String oneLine(String message) {
        if (message == null) {
            return "The operation failed.";
        }
        return message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
