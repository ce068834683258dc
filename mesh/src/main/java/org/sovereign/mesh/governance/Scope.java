package org.sovereign.mesh.governance;

/**
 * Where a delegation applies: one proposal, one area, or everything. For a proposal the most specific delegation wins
 * (proposal, then its area, then global). Wire form: {@code global}, {@code area:NAME} or {@code proposal:HASH}.
 */
public record Scope(Kind kind, String name) {
    /** The three scopes, most specific first. */
    public enum Kind { PROPOSAL, AREA, GLOBAL }

    public static Scope global() {
        return new Scope(Kind.GLOBAL, "");
    }

    public static Scope area(String area) {
        return new Scope(Kind.AREA, area);
    }

    public static Scope proposal(String id) {
        return new Scope(Kind.PROPOSAL, id);
    }

    /** The text in a record body. */
    public String wire() {
        return switch (kind) {
            case GLOBAL -> "global";
            case AREA -> "area:" + name;
            case PROPOSAL -> "proposal:" + name;
        };
    }

    static Scope parse(String wire) {
        if (wire.equals("global")) {
            return global();
        }
        if (wire.startsWith("area:") && wire.length() > 5) {
            return area(wire.substring(5));
        }
        if (wire.startsWith("proposal:") && GovernanceRecords.HEX_32.matcher(wire.substring(9)).matches()) {
            return proposal(wire.substring(9));
        }
        throw new GovernanceException("A delegation scope is 'global', 'area:NAME' or 'proposal:HASH', not '" + wire
                + "'.");
    }
}
