package org.sovereign.archfixture;

import javafx.beans.property.SimpleStringProperty;

/** A deliberate violation, used only to prove the architecture rule can fail. */
public class DomainClassUsingJavaFx {
    public Object leak() {
        return new SimpleStringProperty("ui in the domain");
    }
}
