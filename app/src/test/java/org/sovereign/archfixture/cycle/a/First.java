package org.sovereign.archfixture.cycle.a;

import org.sovereign.archfixture.cycle.b.Second;

/** Half of a deliberate package cycle, used only to prove the cycle rule can fail. */
public class First {
    public Second next() {
        return new Second();
    }
}
