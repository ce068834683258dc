package org.sovereign.packs.pack;

/** Fixed names inside a pack. */
public final class PackLayout {
    /** The manifest at the pack root. */
    public static final String MANIFEST = "manifest.json";
    /** The publisher's OMS signature bundle at the pack root. */
    public static final String PRIMARY_SIGNATURE = "model.sig";
    /** Folder of further OMS signature bundles ({@code *.sig}), e.g. cooperative co-signatures. */
    public static final String SIGNATURES_DIR = "signatures";
    /** File name suffix of a pack archive. */
    public static final String ARCHIVE_SUFFIX = ".mpack";

    private PackLayout() {
    }

    /** True for the pack paths that hold signatures and are therefore outside the signed resources. */
    public static boolean isSignaturePath(String path) {
        return path.equals(PRIMARY_SIGNATURE)
                || (path.startsWith(SIGNATURES_DIR + "/") && path.endsWith(".sig")
                    && path.indexOf('/', SIGNATURES_DIR.length() + 1) < 0);
    }
}
