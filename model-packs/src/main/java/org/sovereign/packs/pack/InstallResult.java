package org.sovereign.packs.pack;

import org.sovereign.packs.signing.Verdict;

/**
 * An installed pack and the trust verdict at install time. When {@code trustedAnyway} is true the pack was
 * installed despite an UNSIGNED or UNTRUSTED_SIGNATURE verdict; the caller must audit that.
 */
public record InstallResult(InstalledPack pack, Verdict verdict, boolean trustedAnyway) {
}
