package org.sovereign.store.consent;

import java.nio.file.Path;
import java.util.List;

/**
 * What the workstation is about to do, to be checked against consent.
 *
 * @param purpose    the purpose, matched exactly against a consent's purposes
 * @param operation  the operation
 * @param sources    the files or folders involved (absolute); each must lie within a consented source
 * @param packDigest the model pack's digest ({@code sha256:...}), or {@code null} when no model is involved
 */
public record ConsentRequest(String purpose, Operation operation, List<Path> sources, String packDigest) {
    public ConsentRequest {
        sources = sources.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    }
}
