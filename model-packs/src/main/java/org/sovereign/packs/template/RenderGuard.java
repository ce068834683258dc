package org.sovereign.packs.template;

/**
 * The limits of the render running on this thread: a deadline, a budget of rendered template nodes (every loop
 * iteration renders at least one), and the longest string an operator may build. Checked by the node pre-processor
 * {@link ChatTemplate} installs and by the operators that build strings ({@code ~}, {@code %}).
 */
final class RenderGuard {

    private static final ThreadLocal<RenderGuard> CURRENT = new ThreadLocal<>();

    private final long deadlineNanos;
    private final long maxSteps;
    private final long maxStringChars;
    private final String renderTime;
    private long steps;
    private TemplateLimitException tripped;

    private RenderGuard(ChatTemplate.Limits limits) {
        this.deadlineNanos = System.nanoTime() + limits.renderTime().toNanos();
        this.maxSteps = limits.maxSteps();
        this.maxStringChars = limits.maxStringChars();
        this.renderTime = limits.renderTime().toMillis() + " ms";
    }

    static RenderGuard start(ChatTemplate.Limits limits) {
        RenderGuard guard = new RenderGuard(limits);
        CURRENT.set(guard);
        return guard;
    }

    static void stop() {
        CURRENT.remove();
    }

    /** The limit that stopped this render, if one did. */
    TemplateLimitException tripped() {
        return tripped;
    }

    /** One template node is about to render. */
    static void step() {
        RenderGuard guard = CURRENT.get();
        if (guard == null) {
            return;
        }
        if (guard.tripped != null) {
            throw guard.tripped;
        }
        if (++guard.steps > guard.maxSteps) {
            guard.trip("it ran more than " + guard.maxSteps + " template steps (loop iterations and blocks)");
        }
        if (System.nanoTime() - guard.deadlineNanos > 0) {
            guard.trip("it took longer than " + guard.renderTime);
        }
    }

    /** A string of {@code length} characters is about to be built. */
    static void checkString(long length) {
        RenderGuard guard = CURRENT.get();
        if (guard == null) {
            return;
        }
        if (guard.tripped != null) {
            throw guard.tripped;
        }
        if (length > guard.maxStringChars) {
            guard.trip("it built a string longer than " + guard.maxStringChars + " characters");
        }
    }

    private void trip(String why) {
        tripped = new TemplateLimitException("The chat template was stopped: " + why + ".");
        throw tripped;
    }

    /** A render limit was reached; no stack trace (it is thrown again at every later step). */
    static final class TemplateLimitException extends RuntimeException {
        TemplateLimitException(String message) {
            super(message, null, false, false);
        }
    }
}
