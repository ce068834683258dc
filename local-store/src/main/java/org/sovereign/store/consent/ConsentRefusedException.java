package org.sovereign.store.consent;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** No valid consent covers a request. The message says, in plain words, what is missing. */
public class ConsentRefusedException extends RuntimeException {

    /** What kept the closest consent from covering the request. */
    public enum Missing { NO_CONSENT, PURPOSE, OPERATION, SOURCES, PACK, WITHDRAWN, EXPIRED, NOT_YET_VALID }

    private final Set<Missing> missing;
    private final List<Path> uncoveredSources;

    public ConsentRefusedException(String message, Set<Missing> missing, List<Path> uncoveredSources) {
        super(message);
        this.missing = Set.copyOf(missing);
        this.uncoveredSources = List.copyOf(uncoveredSources);
    }

    public Set<Missing> missing() {
        return missing;
    }

    public List<Path> uncoveredSources() {
        return uncoveredSources;
    }
}
