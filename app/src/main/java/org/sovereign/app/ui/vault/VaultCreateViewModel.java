package org.sovereign.app.ui.vault;

import org.sovereign.app.ui.tasks.BackgroundTasks;
import org.sovereign.core.common.UserFacingException;
import org.sovereign.core.store.StoreService;
import org.sovereign.store.LocalStore;

import java.util.Arrays;
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

    // the optional recovery key: created with the vault, shown once, confirmed before the workstation opens
    private final BooleanProperty withRecoveryKey = new SimpleBooleanProperty(false);
    /** The key on screen (a String only because a label needs one); cleared once confirmed. */
    private final StringProperty recoveryKey = new SimpleStringProperty("");
    private final BooleanProperty recoveryKeyConfirmed = new SimpleBooleanProperty(false);
    private volatile char[] createdRecoveryKey;
    private LocalStore waitingForConfirmation;

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
        return Bindings.createStringBinding(() -> PassphraseStrength.advice(passphrase.get()), passphrase);
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

    /** "Also create a recovery key". */
    public BooleanProperty withRecoveryKeyProperty() {
        return withRecoveryKey;
    }

    /** The recovery key to show once after creation; empty otherwise. */
    /**
     * The recovery key laid out to be copied by hand: groups of four in lines of seven groups, each line but the last
     * ending with its dash (so the lines joined are the key again). Empty for an empty key.
     */
    public static String inLines(String key) {
        if (key == null || key.isEmpty()) {
            return "";
        }
        String[] groups = key.split("-");
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < groups.length; i++) {
            out.append(groups[i]);
            if (i < groups.length - 1) {
                out.append(i % 7 == 6 ? "-\n" : "-");
            }
        }
        return out.toString();
    }

    public ReadOnlyStringProperty recoveryKeyProperty() {
        return recoveryKey;
    }

    public BooleanBinding showingRecoveryKey() {
        return recoveryKey.isNotEmpty();
    }

    /** "I have written it down". */
    public BooleanProperty recoveryKeyConfirmedProperty() {
        return recoveryKeyConfirmed;
    }

    /** After the person confirmed they wrote the recovery key down: forget it and open the workstation. */
    public void continueAfterRecoveryKey() {
        if (!recoveryKeyConfirmed.get() || waitingForConfirmation == null) {
            return;
        }
        LocalStore created = waitingForConfirmation;
        waitingForConfirmation = null;
        recoveryKey.set("");
        recoveryKeyConfirmed.set(false);
        session.opened(created);
    }

    public void create() {
        if (!canCreate.get()) {
            return;
        }
        boolean recovery = withRecoveryKey.get();
        char[] chars = passphrase.get().toCharArray();
        passphrase.set("");
        confirmation.set("");
        busy.set(true);
        error.set("");
        tasks.task("Create the vault", p -> {
                    p.update(0, 1, "Deriving the key from your passphrase");
                    LocalStore created = store.create(chars);
                    if (recovery) {
                        try {
                            createdRecoveryKey = StoreService.translate(created::createRecoveryKey);
                        } catch (RuntimeException e) {
                            created.close();
                            throw e;
                        }
                    }
                    return created;
                })
                .onSuccess(created -> {
                    busy.set(false);
                    char[] key = createdRecoveryKey;
                    createdRecoveryKey = null;
                    if (key != null) {
                        waitingForConfirmation = created;
                        recoveryKey.set(new String(key));
                        Arrays.fill(key, '\0');
                        return;
                    }
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
