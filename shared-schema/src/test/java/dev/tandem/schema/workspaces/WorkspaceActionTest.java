package dev.tandem.schema.workspaces;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The roles → actions table, pinned: a change to it is a change to who may do what, and shows here. */
class WorkspaceActionTest {

    private static Set<WorkspaceAction> allowed(WorkspaceRole role) {
        return Arrays.stream(WorkspaceAction.values()).filter(role::may).collect(Collectors.toSet());
    }

    @Test
    void anOwnerMayDoEverything() {
        assertThat(allowed(WorkspaceRole.OWNER)).isEqualTo(EnumSet.allOf(WorkspaceAction.class));
    }

    @Test
    void anAdminRunsTheTeamButNotItsMoneyOrExistence() {
        assertThat(EnumSet.allOf(WorkspaceAction.class))
                .containsAll(allowed(WorkspaceRole.ADMIN))
                .filteredOn(action -> !WorkspaceRole.ADMIN.may(action))
                .containsExactlyInAnyOrder(
                        WorkspaceAction.MANAGE_BILLING,
                        WorkspaceAction.TRANSFER_OWNERSHIP,
                        WorkspaceAction.DELETE_WORKSPACE);
    }

    @Test
    void aMemberWritesAndKeepsItsOwnKeys() {
        assertThat(allowed(WorkspaceRole.MEMBER))
                .containsExactlyInAnyOrder(
                        WorkspaceAction.VIEW, WorkspaceAction.WRITE_CONTENT, WorkspaceAction.MANAGE_API_KEYS);
    }

    @Test
    void aViewerOnlyReads() {
        assertThat(allowed(WorkspaceRole.VIEWER)).containsExactly(WorkspaceAction.VIEW);
    }

    @Test
    void rolesRankFromOwnerToViewerAndParseFromTheirStoredForm() {
        assertThat(WorkspaceRole.OWNER.outranks(WorkspaceRole.ADMIN)).isTrue();
        assertThat(WorkspaceRole.VIEWER.outranks(WorkspaceRole.MEMBER)).isFalse();
        for (WorkspaceRole role : WorkspaceRole.values()) {
            assertThat(WorkspaceRole.parse(role.value())).contains(role);
        }
        assertThat(WorkspaceRole.parse("OWNER")).isEmpty();
    }
}
