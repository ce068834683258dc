package org.sovereign.app.ui.dialogs;

import org.sovereign.core.packs.PackFailure;

/** The window's words for core's typed pack failures; any other failure keeps its own message. */
public final class PackFailureWords {

    private PackFailureWords() {
    }

    /** One plain sentence for the person at the window. */
    public static String of(Throwable e) {
        if (!(e instanceof PackFailure failure)) {
            return e.getMessage();
        }
        PackFailure.Reason reason = failure.reason();
        if (reason instanceof PackFailure.NotInstalled n) {
            return n.bundled()
                    ? "The bundled embedding pack is not installed; install it on the Models screen."
                    : "The model pack '" + n.pack() + "' is not installed (any more).";
        }
        if (reason instanceof PackFailure.NoChatTemplate t) {
            return "The model '" + t.pack() + "' has no chat template, so the assistant cannot talk to it; choose another model.";
        }
        if (reason instanceof PackFailure.NoVault) {
            return "Unlock the vault first: installing a model is recorded in its audit log.";
        }
        if (reason instanceof PackFailure.DefaultPackMissing) {
            return "This copy of the workstation was built without its built-in search model.";
        }
        return failure.getMessage();
    }
}
