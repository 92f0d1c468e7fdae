package com.thephillymojo.ws.play;

import com.thephillymojo.ws.game.DiceSource;
import com.thephillymojo.ws.store.TableRecord;
import java.util.function.Supplier;

/**
 * This task's copy of one table, and what the task knows of it besides the table: whether a change
 * failed to be written (then it is no copy any more), which version its connections were last shown,
 * the newest version it heard another task wrote, and the state message of its version, made once.
 * Whoever reads or changes it holds its monitor.
 */
final class Copy {
    final Table table;
    /** Changed but not written: no longer a copy of the stored table. */
    boolean spoiled;
    /** The last version whose state and messages this task sent to its connections. */
    long pushed = -1;
    /** The newest version another task wrote that this copy has heard of but not caught up with. */
    long heard = -1;
    private String view;
    private long viewVersion = -1;

    Copy(Table table) {
        this.table = table;
    }

    String id() {
        return table.id;
    }

    long version() {
        return table.version;
    }

    /** Brings the copy up to a later stored version. Returns false when nothing was newer (and the copy was sound). */
    boolean catchUp(TableRecord record, DiceSource live) {
        if (record.version() <= table.version && !spoiled) {
            return false;
        }
        table.take(record, live);
        spoiled = false;
        view = null;   // a spoiled copy may have made the state of a version number the store gave another change
        return true;
    }

    /** The state message of this version: made once (here, or by the task that wrote it). */
    String view(Supplier<String> make) {
        if (view == null || viewVersion != table.version) {
            view = make.get();
            viewVersion = table.version;
        }
        return view;
    }

    /** The state message of this version as another task made it. */
    void keepView(String made) {
        view = made;
        viewVersion = table.version;
    }
}
