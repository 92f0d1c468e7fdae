package com.thephillymojo.ws.runbook.infra;

/**
 * What an action did to one resource (or, in a plan, would do): the runbook's report is a list of
 * these, one line each.
 */
public record Outcome(Change change, String kind, String name, String detail) {

    public enum Change {
        UNCHANGED("unchanged"), CHANGED("changed"), CREATED("created"), WOULD_CREATE("would create"),
        WOULD_CHANGE("would change"), DELETED("deleted"), WOULD_DELETE("would delete"), ABSENT("absent"), OBSERVED("status");

        private final String word;

        Change(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }

        /** Whether a plan that found this has something to do. */
        public boolean pending() {
            return this == WOULD_CREATE || this == WOULD_CHANGE || this == WOULD_DELETE;
        }
    }

    public static Outcome unchanged(String kind, String name) {
        return new Outcome(Change.UNCHANGED, kind, name, "");
    }

    public static Outcome created(String kind, String name, String detail) {
        return new Outcome(Change.CREATED, kind, name, detail);
    }

    public static Outcome changed(String kind, String name, String detail) {
        return new Outcome(Change.CHANGED, kind, name, detail);
    }

    public static Outcome wouldCreate(String kind, String name, String detail) {
        return new Outcome(Change.WOULD_CREATE, kind, name, detail);
    }

    public static Outcome wouldChange(String kind, String name, String detail) {
        return new Outcome(Change.WOULD_CHANGE, kind, name, detail);
    }

    public String line() {
        return String.format("%-13s %-22s %s%s", change.word(), kind, name, detail.isEmpty() ? "" : "  (" + detail + ")");
    }
}
