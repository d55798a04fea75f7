package dev.tandem.core.identity.workspaces;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/**
 * No such open workspace, or the account is not a member, or its role lacks the right for the
 * page: all answer the same 404, so a page never reveals what exists to someone who may not see it.
 */
@ResponseStatus(HttpStatus.NOT_FOUND)
public class WorkspaceNotFoundException extends RuntimeException {

    public WorkspaceNotFoundException() {
        super("no such workspace for this account");
    }
}
