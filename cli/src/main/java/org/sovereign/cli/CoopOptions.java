package org.sovereign.cli;

import org.sovereign.core.common.UserFacingException;
import org.sovereign.mesh.MeshSettings;
import org.sovereign.mesh.governance.Policy;
import org.sovereign.mesh.log.LogRecord;
import org.sovereign.mesh.membership.Genesis;
import org.sovereign.mesh.membership.JoinedCooperative;
import org.sovereign.mesh.membership.Membership;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The cooperative and its starting policy, as the {@code coop} commands take them. When this workstation holds the
 * genesis of the cooperative (it founded or joined it), the members, stewards and threshold are its signed roster and
 * the options may only repeat it; otherwise (e.g. a folder of another cooperative's records) they are given here. The
 * credits are the starting value, which passed change-policy proposals change.
 */
final class CoopOptions {
    private static final Pattern KEY = Pattern.compile("[0-9a-f]{64}");

    @Option(names = "--coop", paramLabel = "ID",
            description = "The cooperative's id (default: the one 'sovereign mesh serve' saved).")
    String coop;
    @Option(names = "--steward", paramLabel = "KEY",
            description = "A steward's key (hex); repeat for each steward. Only for a cooperative this workstation did "
                    + "not join (default: the stewards of the joined cooperative's genesis who are still members).")
    List<String> stewards = new ArrayList<>();
    @Option(names = "--member", paramLabel = "KEY",
            description = "A member's key (hex); repeat for each member. Only for a cooperative this workstation did "
                    + "not join (default: the joined cooperative's admitted members; else every author of the records "
                    + "held and every steward).")
    List<String> members = new ArrayList<>();
    @Option(names = "--k", paramLabel = "N",
            description = "How many stewards must sign a close, until the cooperative votes otherwise (default: the "
                    + "joined cooperative's genesis threshold, else 1).")
    Integer k;
    @Option(names = "--credits", paramLabel = "C", defaultValue = "100",
            description = "Voice credits per member per proposal, until the cooperative votes otherwise (default: "
                    + "${DEFAULT-VALUE}).")
    int credits;

    /** The cooperative's id: the option, else the saved mesh settings, else the joined cooperative's. */
    String coop(Path dataDir) {
        if (coop != null) {
            return coop;
        }
        return MeshSettings.load(dataDir).map(MeshSettings::cooperative)
                .or(() -> joined(dataDir).map(j -> j.genesis().coop()))
                .orElseThrow(() -> new UserFacingException(
                        "Name the cooperative with --coop ID (this workstation has not joined one)."));
    }

    /** The genesis of {@code cooperative} when this workstation founded or joined it. */
    static Optional<Genesis> genesisOf(Path dataDir, String cooperative) {
        return joined(dataDir).map(JoinedCooperative::genesis).filter(g -> g.coop().equals(cooperative));
    }

    private static Optional<JoinedCooperative> joined(Path dataDir) {
        try {
            return JoinedCooperative.load(dataDir);
        } catch (IllegalStateException e) {
            throw new UserFacingException(e.getMessage());
        }
    }

    /**
     * The starting policy over {@code records}: members, stewards and threshold from {@code roster} (the signed
     * membership of a cooperative this workstation joined) when there is one, else from the options.
     */
    Policy policy(String cooperative, Collection<LogRecord> records, Optional<Membership.Roster> roster) {
        requireKeys("--steward", stewards);
        requireKeys("--member", members);
        if (roster.isPresent()) {
            Membership.Roster r = roster.get();
            agree("--steward", stewards, r.stewards(), "stewards");
            agree("--member", members, r.members(), "admitted members");
            if (k != null && k != r.k()) {
                throw new UserFacingException("--k " + k + " contradicts the cooperative's genesis, where " + r.k()
                        + " stewards must sign; leave --k out.");
            }
            return policy(cooperative, r.members(), r.stewards(), r.k());
        }
        if (stewards.isEmpty()) {
            throw new UserFacingException("This workstation holds no genesis of the cooperative "
                    + TerminalText.safe(cooperative) + ", so name its stewards with --steward KEY.");
        }
        Set<String> all = new HashSet<>(members);
        if (members.isEmpty()) {
            records.forEach(r -> all.add(r.author()));
        }
        all.addAll(stewards);
        return policy(cooperative, all, Set.copyOf(stewards), k == null ? 1 : k);
    }

    private Policy policy(String cooperative, Set<String> all, Set<String> stewardKeys, int threshold) {
        try {
            return new Policy(cooperative, all, stewardKeys, threshold, credits);
        } catch (IllegalArgumentException e) {
            throw new UserFacingException(e.getMessage());
        }
    }

    /** Refuses keys given on the command line that are not exactly the roster's. */
    private static void agree(String option, List<String> given, Set<String> roster, String what) {
        if (!given.isEmpty() && !Set.copyOf(given).equals(roster)) {
            throw new UserFacingException(option + " contradicts the cooperative's signed records, which name "
                    + roster.size() + " " + what + "; leave " + option + " out to use them.");
        }
    }

    static void requireKeys(String option, List<String> keys) {
        for (String key : keys) {
            if (!KEY.matcher(key).matches()) {
                throw new UserFacingException(option + " takes a member's key, 64 lower-case hex digits, not '"
                        + TerminalText.safe(key) + "'.");
            }
        }
    }
}
