package org.sovereign.core.services;

import java.util.List;

/** The result of a system check: one line per fact, each with a verdict. */
public record DoctorReport(List<Check> checks) {

    public DoctorReport {
        checks = List.copyOf(checks);
    }

    /** A fact about this machine. {@code advice} is empty unless something needs attention. */
    public record Check(String name, String value, Status status, String advice) {
    }

    public enum Status {
        /** Fine. */
        OK,
        /** Works, but worth knowing (for example no display: only the CLI can run). */
        NOTE,
        /** Something the workstation needs is missing or broken. */
        PROBLEM
    }

    /** True when nothing required is missing. */
    public boolean ready() {
        return checks.stream().noneMatch(c -> c.status() == Status.PROBLEM);
    }

    public List<Check> problems() {
        return checks.stream().filter(c -> c.status() == Status.PROBLEM).toList();
    }
}
