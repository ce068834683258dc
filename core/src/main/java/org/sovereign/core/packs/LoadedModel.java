package org.sovereign.core.packs;

import org.sovereign.packs.runtime.RuntimeChoice;

/**
 * A model the workstation has loaded and keeps loaded between uses.
 *
 * @param pack        the pack's install id ({@code name-version})
 * @param name        the pack's name
 * @param role        {@code embedding} or {@code chat}
 * @param choice      the execution provider and threads its session actually got
 * @param threadsWhy  where the thread count came from, e.g. "low-power mode off"
 * @param inUse       how many tasks are using it right now
 */
public record LoadedModel(String pack, String name, String role, RuntimeChoice choice, String threadsWhy, int inUse) {

    /** E.g. {@code all-minilm-l6-v2: CPU, 2 threads (low-power mode off)}. */
    public String describe() {
        return name + ": " + runsOn();
    }

    /**
     * E.g. {@code CPU, 2 threads (low-power mode off)}; when CUDA was tried for this model and failed, also why (a
     * build without CUDA is said once, in the runtime plan, not for every model).
     */
    public String runsOn() {
        return choice.describe() + " (" + threadsWhy + ")"
                + (choice.note().startsWith("CUDA") ? "; " + choice.note() : "");
    }
}
