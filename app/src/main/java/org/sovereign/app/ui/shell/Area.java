package org.sovereign.app.ui.shell;

import java.util.Locale;
import javafx.scene.input.KeyCode;

/**
 * The workstation's areas, in the order of the navigation rail. Each says in plain words what it holds, so that a
 * screen that is not built yet can state what it will hold instead of showing made-up data.
 */
public enum Area {
    ASSISTANT("Assistant", KeyCode.DIGIT1,
            "Ask questions and get answers from a model running on this computer, with citations to your own documents.",
            ""),
    LIBRARY("Library", KeyCode.DIGIT2,
            "The documents the assistant may read: files and folders you add, indexed on this computer.",
            ""),
    MODELS("Models", KeyCode.DIGIT3,
            "The model packs installed on this computer, and whether their signatures check out.",
            ""),
    CONSENT("Consent", KeyCode.DIGIT4,
            "What you have allowed the workstation to do with which documents, and for how long.",
            ""),
    AUDIT("Audit", KeyCode.DIGIT5,
            "A tamper-evident record of everything the workstation did, which anyone can verify.",
            ""),
    MESH("Mesh", KeyCode.DIGIT6,
            "Optional: share model packs and witness each other's logs with a cooperative you choose to join.",
            ""),
    GOVERNANCE("Governance", KeyCode.DIGIT7,
            "Decide together: your cooperative's proposals, your quadratic votes, and results every member can recompute.",
            ""),
    SETTINGS("Settings", KeyCode.DIGIT8,
            "Where your data lives, your preferences (auto-lock, power, passphrase), and a check of what this computer can run.",
            "");

    private final String title;
    private final KeyCode shortcut;
    private final String summary;
    private final String plannedContent;

    Area(String title, KeyCode shortcut, String summary, String plannedContent) {
        this.title = title;
        this.shortcut = shortcut;
        this.summary = summary;
        this.plannedContent = plannedContent;
    }

    public String title() {
        return title;
    }

    /** Pressed with Ctrl (Cmd on macOS) to open this area. */
    public KeyCode shortcut() {
        return shortcut;
    }

    /** One sentence: what this area is for. */
    public String summary() {
        return summary;
    }

    /** What the area will hold once it is built; empty when the area is built. */
    public String plannedContent() {
        return plannedContent;
    }

    /** A stable id for the area's controls, e.g. {@code assistant}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
