package dev.tandem.core.admin;

import java.util.List;

/**
 * A bulk action on the rows selected in a change list, run after a confirmation page, in one
 * transaction with the history and the events of every row it changed. The admin records what
 * each object looked like before and after, so an action only changes the objects.
 *
 * @param name the action's id in forms ({@code deactivate})
 * @param label the menu entry ("Deactivate selected users")
 * @param explanation what the confirmation page says will happen
 * @param requires the permission it takes on the entity (usually {@link ModelAdmin.Operation#CHANGE})
 * @param run what it does to the selected objects; returns the message shown afterwards
 * @param <T> the entity
 */
public record AdminAction<T>(
        String name, String label, String explanation, ModelAdmin.Operation requires, Runner<T> run) {

    /** Changes the selected, loaded and locked objects; may throw {@link AdminActionRefused} to change nothing. */
    @FunctionalInterface
    public interface Runner<T> {
        String apply(List<T> selected);
    }

    /** Refuses the whole action with a message for the staff member; nothing is written. */
    public static final class AdminActionRefused extends RuntimeException {
        public AdminActionRefused(String message) {
            super(message);
        }
    }
}
