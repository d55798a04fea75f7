package dev.tandem.core.identity.workspaces;

import static dev.tandem.schema.workspaces.WorkspaceRole.ADMIN;
import static dev.tandem.schema.workspaces.WorkspaceRole.MEMBER;
import static dev.tandem.schema.workspaces.WorkspaceRole.OWNER;
import static dev.tandem.schema.workspaces.WorkspaceRole.VIEWER;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The membership rules, without a database: who may change whom, and that an owner always remains. */
class RosterTest {

    private static final long OWNER_ID = 1;
    private static final long ADMIN_ID = 2;
    private static final long MEMBER_ID = 3;
    private static final long VIEWER_ID = 4;

    private static Roster team() {
        return new Roster(
                7, "Acme", null, Map.of(OWNER_ID, OWNER, ADMIN_ID, ADMIN, MEMBER_ID, MEMBER, VIEWER_ID, VIEWER));
    }

    @Test
    void theLastOwnerCanNeitherLeaveNorBeDemotedNorRemoved() {
        Roster roster = team();

        assertThatThrownBy(() -> roster.checkLeave(OWNER_ID)).hasMessageContaining("last owner");
        assertThatThrownBy(() -> roster.checkRoleChange(ADMIN_ID, OWNER_ID, MEMBER))
                .hasMessageContaining("Only an owner");
        assertThatThrownBy(() -> roster.checkRemoval(ADMIN_ID, OWNER_ID)).hasMessageContaining("Only an owner");
    }

    @Test
    void anOwnerMayLeaveOnceAnotherOwnerExists() {
        Roster twoOwners = new Roster(7, "Acme", null, Map.of(OWNER_ID, OWNER, ADMIN_ID, OWNER));

        assertThatCode(() -> twoOwners.checkLeave(OWNER_ID)).doesNotThrowAnyException();
        assertThatCode(() -> twoOwners.checkRoleChange(OWNER_ID, ADMIN_ID, MEMBER))
                .doesNotThrowAnyException();
    }

    @Test
    void nobodyChangesTheirOwnRole() {
        assertThatThrownBy(() -> team().checkRoleChange(ADMIN_ID, ADMIN_ID, OWNER))
                .hasMessageContaining("your own role");
        assertThatThrownBy(() -> team().checkRoleChange(OWNER_ID, OWNER_ID, ADMIN))
                .hasMessageContaining("your own role");
    }

    @Test
    void anAdminManagesMembersButNeverMakesOrTouchesAnOwner() {
        Roster roster = team();

        assertThatCode(() -> roster.checkRoleChange(ADMIN_ID, MEMBER_ID, VIEWER))
                .doesNotThrowAnyException();
        assertThatCode(() -> roster.checkRemoval(ADMIN_ID, VIEWER_ID)).doesNotThrowAnyException();
        assertThatThrownBy(() -> roster.checkRoleChange(ADMIN_ID, MEMBER_ID, OWNER))
                .hasMessageContaining("Only an owner");
    }

    @Test
    void membersAndViewersChangeNobody() {
        Roster roster = team();

        assertThatThrownBy(() -> roster.checkRoleChange(MEMBER_ID, VIEWER_ID, MEMBER))
                .hasMessageContaining("does not allow changing roles");
        assertThatThrownBy(() -> roster.checkRemoval(VIEWER_ID, MEMBER_ID))
                .hasMessageContaining("does not allow removing");
        assertThatThrownBy(() -> roster.checkTransfer(ADMIN_ID, MEMBER_ID)).hasMessageContaining("Only an owner");
        assertThatThrownBy(() -> roster.checkDelete(ADMIN_ID, "Acme")).hasMessageContaining("Only an owner");
    }

    @Test
    void deletingTakesTheExactNameAndNeverAPersonalWorkspace() {
        assertThatThrownBy(() -> team().checkDelete(OWNER_ID, "acme"))
                .hasMessageContaining("Type the workspace's name");
        assertThatCode(() -> team().checkDelete(OWNER_ID, " Acme ")).doesNotThrowAnyException();
        Roster personal = new Roster(8, "Ann's workspace", OWNER_ID, Map.of(OWNER_ID, OWNER));
        assertThatThrownBy(() -> personal.checkDelete(OWNER_ID, "Ann's workspace"))
                .hasMessageContaining("personal");
    }

    @Test
    void aPersonalWorkspaceKeepsItsAccountAsOwner() {
        Roster personal = new Roster(8, "Ann's", OWNER_ID, Map.of(OWNER_ID, OWNER, ADMIN_ID, OWNER));

        assertThatThrownBy(() -> personal.checkLeave(OWNER_ID)).hasMessageContaining("personal workspace");
        assertThatThrownBy(() -> personal.checkRemoval(ADMIN_ID, OWNER_ID)).hasMessageContaining("stays its owner");
        assertThatThrownBy(() -> personal.checkRoleChange(ADMIN_ID, OWNER_ID, ADMIN))
                .hasMessageContaining("stays its owner");
        assertThatThrownBy(() -> personal.checkTransfer(OWNER_ID, ADMIN_ID)).hasMessageContaining("owner already");
    }

    @Test
    void aNonMemberIsNotFound() {
        assertThatThrownBy(() -> team().checkLeave(99)).isInstanceOf(WorkspaceNotFoundException.class);
        assertThatThrownBy(() -> team().checkRemoval(OWNER_ID, 99)).hasMessageContaining("not a member");
    }

    @Test
    void transferringMakesTheOwnerStepDownOnlyInATeamWorkspace() {
        assertThatCode(() -> team().checkTransfer(OWNER_ID, ADMIN_ID)).doesNotThrowAnyException();
        Roster personal = new Roster(8, "Ann's", OWNER_ID, Map.of(OWNER_ID, OWNER, ADMIN_ID, ADMIN));
        assertThatThrownBy(() -> personal.checkTransfer(OWNER_ID, ADMIN_ID)).hasMessageContaining("stays its owner");
    }
}
