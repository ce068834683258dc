package org.sovereign.archfixture.cycle.b;

import org.sovereign.archfixture.cycle.a.First;

/** The other half of the deliberate package cycle. */
public class Second {
    public First back() {
        return new First();
    }
}
