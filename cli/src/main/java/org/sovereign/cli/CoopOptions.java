package org.sovereign.cli;

import org.sovereign.core.common.UserFacingException;
import org.sovereign.mesh.MeshSettings;
import org.sovereign.mesh.governance.Policy;
import org.sovereign.mesh.log.LogRecord;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The cooperative and its starting policy, as the {@code coop} commands take them. Members and stewards are given here
 * until admission records exist; the threshold and credits are the starting values, which passed change-policy
 * proposals change.
 */
final class CoopOptions {
    private static final Pattern KEY = Pattern.compile("[0-9a-f]{64}");

    @Option(names = "--coop", paramLabel = "ID",
            description = "The cooperative's id (default: the one 'sovereign mesh serve' saved).")
    String coop;
    @Option(names = "--steward", required = true, paramLabel = "KEY",
            description = "A steward's key (hex); repeat for each steward.")
    List<String> stewards = new ArrayList<>();
    @Option(names = "--member", paramLabel = "KEY",
            description = "A member's key (hex); repeat for each member (default: every author of the records held and "
                    + "every steward).")
    List<String> members = new ArrayList<>();
    @Option(names = "--k", paramLabel = "N", defaultValue = "1",
            description = "How many stewards must sign a close, until the cooperative votes otherwise (default: "
                    + "${DEFAULT-VALUE}).")
    int k;
    @Option(names = "--credits", paramLabel = "C", defaultValue = "100",
            description = "Voice credits per member per proposal, until the cooperative votes otherwise (default: "
                    + "${DEFAULT-VALUE}).")
    int credits;

    /** The cooperative's id: the option, else the saved mesh settings. */
    String coop(Path dataDir) {
        if (coop != null) {
            return coop;
        }
        return MeshSettings.load(dataDir).map(MeshSettings::cooperative).orElseThrow(() -> new UserFacingException(
                "Name the cooperative with --coop ID (this workstation has not joined one)."));
    }

    /** The starting policy over {@code records}. */
    Policy policy(String cooperative, Collection<LogRecord> records) {
        requireKeys("--steward", stewards);
        requireKeys("--member", members);
        Set<String> all = new HashSet<>(members);
        if (members.isEmpty()) {
            records.forEach(r -> all.add(r.author()));
        }
        all.addAll(stewards);
        try {
            return new Policy(cooperative, all, Set.copyOf(stewards), k, credits);
        } catch (IllegalArgumentException e) {
            throw new UserFacingException(e.getMessage());
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
