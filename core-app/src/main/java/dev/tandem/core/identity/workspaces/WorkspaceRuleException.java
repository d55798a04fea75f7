package dev.tandem.core.identity.workspaces;

/** A change the workspace rules refuse; the message is written for the person who asked. */
public class WorkspaceRuleException extends RuntimeException {

    WorkspaceRuleException(String message) {
        super(message);
    }
}
