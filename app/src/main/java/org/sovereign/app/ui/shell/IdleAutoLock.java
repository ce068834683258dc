package org.sovereign.app.ui.shell;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sovereign.app.ui.vault.VaultSessionState;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.value.ObservableBooleanValue;
import javafx.event.EventHandler;
import javafx.scene.Scene;
import javafx.scene.input.InputEvent;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.util.Duration;

/**
 * Locks the vault after a number of minutes without keyboard or mouse input in the window (0 = never), exactly as
 * Ctrl+L does: the store is closed, which wipes its keys.
 *
 * <p>Running work is never cut off: while an answer is being written or documents are being indexed the lock is
 * <em>deferred</em> until that work ends (if there is still no input by then), and the unlock screen says so. We chose
 * deferring over cancelling because both kinds of work are already under a consent the person gave and are cheap to
 * let finish, while cancelling would throw away progress the person is waiting for; the keys stay in memory only for
 * as long as that work runs.
 *
 * <p>The clock is injectable, and the check runs on a short FX timeline, so a test moves a fake clock forward
 * instead of waiting minutes. Only touched on the FX thread.
 */
public final class IdleAutoLock {

    private static final Logger LOG = LoggerFactory.getLogger(IdleAutoLock.class);
    /** How often the idle time is compared with the setting. */
    static final Duration CHECK_EVERY = Duration.seconds(1);

    private record Work(ObservableBooleanValue running, String what) {
    }

    private final VaultSessionState session;
    private final IntSupplier minutes;
    private final Clock clock;
    private final List<Work> work = new ArrayList<>();
    private final Timeline timer = new Timeline(new KeyFrame(CHECK_EVERY, e -> check()));
    private final EventHandler<InputEvent> onInput = e -> touch();
    private long lastInputMillis;
    private String deferredFor = "";

    /**
     * @param minutes the idle time in minutes, read at each check (so a changed setting applies at once); 0 = never
     * @param clock   the time source (tests pass one they move forward)
     */
    public IdleAutoLock(VaultSessionState session, IntSupplier minutes, Clock clock) {
        this.session = session;
        this.minutes = minutes;
        this.clock = clock;
        this.lastInputMillis = clock.millis();
        timer.setCycleCount(Animation.INDEFINITE);
        session.unlockedProperty().addListener((o, old, now) -> {
            touch(); // the idle time counts from the unlock
            deferredFor = "";
        });
    }

    /** Watches {@code scene} for input and starts the periodic check. */
    public void install(Scene scene) {
        scene.addEventFilter(KeyEvent.ANY, onInput);
        scene.addEventFilter(MouseEvent.ANY, onInput);
        scene.addEventFilter(ScrollEvent.ANY, onInput);
        timer.play();
    }

    /** Stops checking (the window closed). */
    public void stop() {
        timer.stop();
    }

    /**
     * Work the lock waits for while it runs; {@code what} names it in plain words for the unlock screen, e.g.
     * "indexing".
     */
    public void deferWhile(ObservableBooleanValue running, String what) {
        work.add(new Work(running, what));
        running.addListener((o, was, is) -> {
            if (!is && !deferredFor.isEmpty()) {
                check(); // the work we waited for ended: lock now if there was still no input
            }
        });
    }

    /** Input arrived: the idle time starts again. */
    void touch() {
        lastInputMillis = clock.millis();
    }

    /** Locks the vault if the idle time has passed and no watched work runs; runs on every timer tick. */
    void check() {
        int limit = minutes.getAsInt();
        if (!session.isUnlocked() || limit <= 0) {
            deferredFor = "";
            return;
        }
        long idleMillis = clock.millis() - lastInputMillis;
        if (idleMillis < limit * 60_000L) {
            deferredFor = "";
            return;
        }
        for (Work w : work) {
            if (w.running().get()) {
                if (deferredFor.isEmpty()) {
                    LOG.info("Idle for {} min; the auto-lock waits for {} to finish", limit, w.what());
                }
                deferredFor = w.what();
                return;
            }
        }
        String minutesText = limit == 1 ? "1 minute" : limit + " minutes";
        String reason = "Locked automatically after " + minutesText + " without keyboard or mouse input"
                + (deferredFor.isEmpty() ? "." : " (it waited for " + deferredFor + " to finish first).")
                + " Your data is encrypted again; enter your passphrase to go on.";
        LOG.info("Locking the vault after {} min without input", limit);
        deferredFor = "";
        session.lock(reason);
    }

    /** What the lock is waiting for, or empty when it is not waiting. */
    String deferredFor() {
        return deferredFor;
    }
}
