package org.sovereign.packs.signing;

import java.util.List;

/** The OMS {@code serialization} object; this implementation produces and accepts method {@code files} only. */
public record OmsSerialization(String method, String hashType, boolean allowSymlinks, List<String> ignorePaths) {
    public OmsSerialization {
        ignorePaths = ignorePaths == null ? List.of() : List.copyOf(ignorePaths);
    }
}
