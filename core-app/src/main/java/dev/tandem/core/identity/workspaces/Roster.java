package dev.tandem.core.identity.workspaces;

import dev.tandem.schema.workspaces.WorkspaceAction;
import dev.tandem.schema.workspaces.WorkspaceRole;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A workspace's members and their roles, read under the workspace's row lock, and the rules every
 * change of membership obeys: there is always an owner, nobody changes their own role, only an
 * owner touches owners, and a personal workspace always keeps the account it was made for. Each
 * method refuses with a {@link WorkspaceRuleException} or returns normally; it changes nothing.
 *
 * @param personalFor the account a personal workspace belongs to, null for a team workspace
 */
record Roster(long workspaceId, String name, @Nullable Long personalFor, Map<Long, WorkspaceRole> roles) {

    Roster {
        roles = Map.copyOf(roles);
    }

    WorkspaceRole roleOf(long userId) {
        WorkspaceRole role = roles.get(userId);
        if (role == null) {
            throw new WorkspaceNotFoundException();
        }
        return role;
    }

    void require(long actor, WorkspaceAction action, String refusal) {
        if (!roleOf(actor).may(action)) {
            throw new WorkspaceRuleException(refusal);
        }
    }

    void checkRoleChange(long actor, long target, WorkspaceRole newRole) {
        require(actor, WorkspaceAction.CHANGE_ROLES, "Your role does not allow changing roles.");
        WorkspaceRole current = member(target);
        if (actor == target) {
            throw new WorkspaceRuleException("You cannot change your own role; ask another owner or admin.");
        }
        if ((current == WorkspaceRole.OWNER || newRole == WorkspaceRole.OWNER)
                && roleOf(actor) != WorkspaceRole.OWNER) {
            throw new WorkspaceRuleException("Only an owner can make an owner or change an owner's role.");
        }
        if (current == WorkspaceRole.OWNER && newRole != WorkspaceRole.OWNER) {
            keepsAnOwner(target, "demoted");
            keepsItsAccount(target, "demoted");
        }
    }

    void checkRemoval(long actor, long target) {
        require(actor, WorkspaceAction.REMOVE_MEMBERS, "Your role does not allow removing members.");
        WorkspaceRole current = member(target);
        if (actor == target) {
            throw new WorkspaceRuleException("To remove yourself, leave the workspace.");
        }
        if (current == WorkspaceRole.OWNER && roleOf(actor) != WorkspaceRole.OWNER) {
            throw new WorkspaceRuleException("Only an owner can remove an owner.");
        }
        keepsAnOwner(target, "removed");
        keepsItsAccount(target, "removed");
    }

    void checkLeave(long member) {
        roleOf(member);
        if (personalFor != null && personalFor == member) {
            throw new WorkspaceRuleException(
                    "This is your personal workspace: it stays with your account, and closes with it.");
        }
        keepsAnOwner(member, "leave");
    }

    void checkTransfer(long actor, long target) {
        require(actor, WorkspaceAction.TRANSFER_OWNERSHIP, "Only an owner can transfer ownership.");
        if (member(target) == WorkspaceRole.OWNER) {
            throw new WorkspaceRuleException("That member is an owner already.");
        }
        keepsItsAccount(actor, "demoted");
    }

    void checkDelete(long actor, String typedName) {
        require(actor, WorkspaceAction.DELETE_WORKSPACE, "Only an owner can delete the workspace.");
        if (personalFor != null) {
            throw new WorkspaceRuleException(
                    "A personal workspace cannot be deleted on its own; it closes with its account.");
        }
        if (!name.equals(typedName.strip())) {
            throw new WorkspaceRuleException("Type the workspace's name exactly to confirm.");
        }
    }

    private WorkspaceRole member(long target) {
        WorkspaceRole role = roles.get(target);
        if (role == null) {
            throw new WorkspaceRuleException("That account is not a member of this workspace.");
        }
        return role;
    }

    private void keepsAnOwner(long leaving, String verb) {
        boolean otherOwner = roles.entrySet().stream()
                .anyMatch(member -> member.getKey() != leaving && member.getValue() == WorkspaceRole.OWNER);
        if (roles.get(leaving) == WorkspaceRole.OWNER && !otherOwner) {
            throw new WorkspaceRuleException(lastOwner(verb));
        }
    }

    private static String lastOwner(String verb) {
        return "leave".equals(verb)
                ? "You are the last owner: make another member an owner before you leave."
                : "The last owner cannot be " + verb + ": make another member an owner first.";
    }

    private void keepsItsAccount(long target, String verb) {
        if (personalFor != null && personalFor == target) {
            throw new WorkspaceRuleException(
                    "The account a personal workspace belongs to stays its owner; it cannot be " + verb + ".");
        }
    }
}
