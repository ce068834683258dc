package org.sovereign.mesh.governance;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The hand-written hex check used while reading receipts accepts exactly what the pattern accepts. */
class Hex32Test {
    @Test
    void theHandWrittenCheckAgreesWithThePattern() {
        String good = "0123456789abcdef".repeat(4);
        List<String> cases = new ArrayList<>(List.of(good, "", good.substring(1), good + "0", good.toUpperCase(),
                good.substring(1) + "g", good.substring(1) + "/", good.substring(1) + ":", good.substring(1) + "`",
                good.substring(1) + "\u0660", " " + good.substring(1)));
        Random random = new Random(12);
        String alphabet = "0123456789abcdefABCDEFg/:`@ \u00e9";
        for (int i = 0; i < 2000; i++) {
            StringBuilder s = new StringBuilder(good);
            s.setCharAt(random.nextInt(64), alphabet.charAt(random.nextInt(alphabet.length())));
            cases.add(s.toString());
        }
        for (String s : cases) {
            assertThat(GovernanceRecords.hex32(s)).as(s).isEqualTo(GovernanceRecords.HEX_32.matcher(s).matches());
        }
        assertThat(cases.stream().filter(GovernanceRecords::hex32).count()).isBetween(2L, (long) cases.size() - 2);
    }
}
