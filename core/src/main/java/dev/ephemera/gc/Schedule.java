package dev.ephemera.gc;

import dev.ephemera.event.Phase;

/**
 * A collection as data: a list of named, resumable {@linkplain Step steps} run in order by one
 * loop that times each in a {@link PhaseTimer} (MMTk's phase schedules). A minor collection
 * runs its schedule to the end at once; a major cycle runs its in slices, each with a
 * {@link Budget}: a step that runs out of budget returns false and is resumed by the next
 * slice, where it stopped.
 */
final class Schedule {
    /** One step: does up to the budget's work and returns true when its phase is complete. */
    interface Step {
        boolean run(Budget budget);
    }

    private final Phase[] phases;
    private final Step[] steps;
    /** The step to run next; {@code phases.length} when the schedule is not running. */
    private int next;

    Schedule(Phase[] phases, Step[] steps) {
        if (phases.length != steps.length) {
            throw new IllegalArgumentException("Schedule: " + phases.length + " phases for " + steps.length + " steps");
        }
        this.phases = phases.clone();
        this.steps = steps.clone();
        this.next = phases.length;
    }

    /** Starts the schedule over from its first step. */
    void start() {
        next = 0;
    }

    /** True between {@link #start} and the end of its last step. */
    boolean isRunning() {
        return next < steps.length;
    }

    /** The phase of the step to run next, or null when not running. */
    Phase current() {
        return isRunning() ? phases[next] : null;
    }

    /**
     * Runs steps from where the schedule stopped until the budget is spent or the last step is
     * complete; returns true in the second case. Each step's time goes to its phase.
     */
    boolean run(Budget budget, PhaseTimer timer) {
        try {
            while (next < steps.length) {
                timer.enter(phases[next]);
                if (!steps[next].run(budget)) {
                    return false;
                }
                next++;
                if (budget.isExhausted() && next < steps.length) {
                    return false;
                }
            }
            return true;
        } finally {
            timer.enter(null);
        }
    }
}
