package org.sovereign.app.ui.vault;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.DoubleBinding;
import javafx.beans.binding.ObjectBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.sovereign.app.UserFacingException;
import org.sovereign.app.store.StoreService;
import org.sovereign.app.ui.tasks.BackgroundTasks;
import org.sovereign.store.LocalStore;

/**
 * First run: choose a passphrase, create the vault and the device identity. The passphrase text is copied into a
 * {@code char[]} when Create is pressed and the fields are cleared at once; the store wipes the array after use.
 */
public final class VaultCreateViewModel {

    private final StoreService store;
    private final BackgroundTasks tasks;
    private final VaultSessionState session;

    private final StringProperty passphrase = new SimpleStringProperty("");
    private final StringProperty confirmation = new SimpleStringProperty("");
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private final StringProperty error = new SimpleStringProperty("");
    private final ObjectBinding<PassphraseStrength.Level> strength;
    private final BooleanBinding matches;
    private final BooleanBinding canCreate;

    public VaultCreateViewModel(StoreService store, BackgroundTasks tasks, VaultSessionState session) {
        this.store = store;
        this.tasks = tasks;
        this.session = session;
        strength = Bindings.createObjectBinding(() -> PassphraseStrength.level(passphrase.get()), passphrase);
        matches = Bindings.createBooleanBinding(() -> passphrase.get().equals(confirmation.get()), passphrase, confirmation);
        canCreate = Bindings.createBooleanBinding(() -> !busy.get() && matches.get()
                        && strength.get().compareTo(PassphraseStrength.Level.FAIR) >= 0,
                busy, matches, strength);
    }

    public StringProperty passphraseProperty() {
        return passphrase;
    }

    public StringProperty confirmationProperty() {
        return confirmation;
    }

    public ObjectBinding<PassphraseStrength.Level> strengthProperty() {
        return strength;
    }

    public DoubleBinding strengthFraction() {
        return Bindings.createDoubleBinding(() -> strength.get().ordinal() / 4.0, strength);
    }

    public StringBinding strengthText() {
        return Bindings.createStringBinding(() -> switch (strength.get()) {
            case EMPTY -> "";
            case WEAK -> "Too weak: use at least " + PassphraseStrength.MIN_LENGTH + " characters, ideally several words.";
            case FAIR -> "Fair (estimate). Longer is better.";
            case STRONG -> "Strong (estimate).";
            case VERY_STRONG -> "Very strong (estimate).";
        }, strength);
    }

    /** Why Create is unavailable, in plain words; empty when it is available. */
    public StringBinding problem() {
        return Bindings.createStringBinding(() -> {
            if (!confirmation.get().isEmpty() && !matches.get()) {
                return "The two passphrases differ.";
            }
            return "";
        }, matches, confirmation);
    }

    public BooleanBinding canCreateProperty() {
        return canCreate;
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy;
    }

    public ReadOnlyStringProperty errorProperty() {
        return error;
    }

    public void create() {
        if (!canCreate.get()) {
            return;
        }
        char[] chars = passphrase.get().toCharArray();
        passphrase.set("");
        confirmation.set("");
        busy.set(true);
        error.set("");
        tasks.task("Create the vault", p -> {
                    p.update(0, 1, "Deriving the key from your passphrase");
                    return store.create(chars);
                })
                .onSuccess(created -> {
                    busy.set(false);
                    session.opened(created);
                })
                .onError(UserFacingException.class, e -> fail(e.getMessage()))
                .onError(Throwable.class, e -> fail("The vault could not be created. Details are in the log."))
                .start();
    }

    private void fail(String message) {
        busy.set(false);
        error.set(message);
    }

    /** The unlocked store, for tests. */
    LocalStore unlocked() {
        return session.unlockedProperty().get();
    }
}
