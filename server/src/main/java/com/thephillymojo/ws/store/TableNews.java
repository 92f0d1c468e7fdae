package com.thephillymojo.ws.store;

import java.util.Optional;

/**
 * What the task that wrote a table change tells the others with it, so they need not read the table
 * again: what the change added ({@code delta}: empty when it cannot be told, e.g. a new match replaced
 * the old one) and the table's new state message as the writer made it (sent on as is). The store
 * hands it on and never reads it.
 */
public record TableNews(Optional<TableDelta> delta, String state) {
}
