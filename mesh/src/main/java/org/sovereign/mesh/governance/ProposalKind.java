package org.sovereign.mesh.governance;

import java.util.Arrays;
import java.util.Optional;

/** What a proposal decides; the name is what the proposal's body carries as {@code kind}. */
public enum ProposalKind {
    /** Trust a pack (its {@code subject} is the pack's digest). */
    ADOPT_PACK("adopt-pack"),
    /** Stop trusting a pack (subject: the pack's digest). */
    RETIRE_PACK("retire-pack"),
    /** Change a policy value (subject: {@code credits}, {@code quorum} or {@code steward-threshold}). */
    CHANGE_POLICY("change-policy"),
    /** Admit a member (subject: the member's key, hex). */
    ADMIT_MEMBER("admit-member"),
    /** Remove a member (subject: the member's key, hex). */
    REMOVE_MEMBER("remove-member"),
    /** Change the revenue shares (subject: the name of the share table). */
    CHANGE_SHARES("change-shares");

    private final String wireName;

    ProposalKind(String wireName) {
        this.wireName = wireName;
    }

    /** The name in the record body. */
    public String wireName() {
        return wireName;
    }

    /** The kind named {@code name} in a record body. */
    public static Optional<ProposalKind> fromWire(String name) {
        return Arrays.stream(values()).filter(k -> k.wireName.equals(name)).findFirst();
    }
}
