package dev.tandem.core.identity.workspaces;

import dev.tandem.core.identity.apikeys.ApiKeys;
import dev.tandem.core.identity.tokens.RefreshTokens;
import dev.tandem.core.identity.workspaces.Workspaces.Membership;
import dev.tandem.core.messaging.Outbox;
import dev.tandem.core.platform.Sql;
import dev.tandem.schema.events.Events;
import dev.tandem.schema.events.WorkspaceDeleted;
import dev.tandem.schema.events.WorkspaceMemberRemoved;
import dev.tandem.schema.workspaces.WorkspaceAction;
import dev.tandem.schema.workspaces.WorkspaceRole;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Changes to workspaces and their members. Every change of membership locks the workspace's row,
 * reads its {@link Roster}, lets the roster refuse, then writes: two admins acting at once cannot
 * both remove the last two owners. Removing a member (or leaving) revokes the account's refresh
 * tokens and API keys in that workspace and publishes {@code workspace.member_removed}; deleting
 * one publishes {@code workspace.deleted}, on which the owners of its content erase it.
 */
@Service
public class WorkspaceService {

    private final JdbcClient jdbc;
    private final Outbox outbox;
    private final ApiKeys apiKeys;
    private final RefreshTokens refreshTokens;
    private final Clock clock;

    WorkspaceService(JdbcClient jdbc, Outbox outbox, ApiKeys apiKeys, RefreshTokens refreshTokens, Clock clock) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.apiKeys = apiKeys;
        this.refreshTokens = refreshTokens;
        this.clock = clock;
    }

    /** A team workspace with its creator as owner; refused when the slug is taken or reserved. */
    @Transactional
    public Membership create(long userId, String name, String slug) {
        Slugs.problem(slug).ifPresent(problem -> {
            throw new WorkspaceRuleException(problem);
        });
        Instant now = clock.instant();
        long id;
        try {
            id = jdbc.sql(
                            "insert into workspaces (name, slug, created_at, updated_at) values (?, ?, ?, ?) returning id")
                    .params(name, slug, Sql.at(now), Sql.at(now))
                    .query(Long.class)
                    .single();
        } catch (DuplicateKeyException e) {
            throw new WorkspaceRuleException(slugTaken(slug));
        }
        jdbc.sql("insert into workspace_members (workspace_id, user_id, role, joined_at) values (?, ?, 'owner', ?)")
                .params(id, userId, Sql.at(now))
                .update();
        return new Membership(id, name, slug, false, WorkspaceRole.OWNER);
    }

    @Transactional
    public void rename(long actor, long workspaceId, String name, String slug) {
        lock(workspaceId).require(actor, WorkspaceAction.EDIT_SETTINGS, "Your role does not allow editing settings.");
        Slugs.problem(slug)
                .filter(problem -> !slug.equals(currentSlug(workspaceId)))
                .ifPresent(problem -> {
                    throw new WorkspaceRuleException(problem);
                });
        try {
            jdbc.sql("update workspaces set name = ?, slug = ?, updated_at = ?, version = version + 1 where id = ?")
                    .params(name, slug, Sql.at(clock.instant()), workspaceId)
                    .update();
        } catch (DuplicateKeyException e) {
            throw new WorkspaceRuleException(slugTaken(slug));
        }
    }

    @Transactional
    public void changeRole(long actor, long workspaceId, long target, WorkspaceRole role) {
        lock(workspaceId).checkRoleChange(actor, target, role);
        setRole(workspaceId, target, role);
    }

    /** Makes {@code target} an owner and the acting owner an admin. */
    @Transactional
    public void transferOwnership(long actor, long workspaceId, long target) {
        lock(workspaceId).checkTransfer(actor, target);
        setRole(workspaceId, target, WorkspaceRole.OWNER);
        setRole(workspaceId, actor, WorkspaceRole.ADMIN);
    }

    @Transactional
    public void remove(long actor, long workspaceId, long target) {
        lock(workspaceId).checkRemoval(actor, target);
        endMembership(workspaceId, target);
    }

    @Transactional
    public void leave(long userId, long workspaceId) {
        lock(workspaceId).checkLeave(userId);
        endMembership(workspaceId, userId);
    }

    /** Closes the workspace: memberships, invitations, keys and tokens end now; its content is erased by its owners. */
    @Transactional
    public void delete(long actor, long workspaceId, String typedName) {
        lock(workspaceId).checkDelete(actor, typedName);
        close(workspaceId);
    }

    private void close(long workspaceId) {
        Instant now = clock.instant();
        jdbc.sql("update workspaces set deleted_at = ?, updated_at = ?, version = version + 1 where id = ?")
                .params(Sql.at(now), Sql.at(now), workspaceId)
                .update();
        jdbc.sql("delete from workspace_members where workspace_id = ?")
                .param(workspaceId)
                .update();
        jdbc.sql("update workspace_invitations set revoked_at = ? where workspace_id = ?"
                        + " and accepted_at is null and revoked_at is null")
                .params(Sql.at(now), workspaceId)
                .update();
        jdbc.sql("update users set last_workspace_id = null where last_workspace_id = ?")
                .param(workspaceId)
                .update();
        apiKeys.revokeAllIn(workspaceId, null);
        refreshTokens.revokeAllIn(workspaceId, null);
        outbox.append(Events.WORKSPACE_DELETED, new WorkspaceDeleted(workspaceId, now));
    }

    /**
     * An account closes (in its transaction): its personal workspace and the team workspaces it was
     * alone in close with it, and it leaves the others.
     */
    @Transactional
    public void closeAccount(long userId) {
        List<Long> alone = jdbc.sql(
                        "select w.id from workspaces w join workspace_members m on m.workspace_id = w.id"
                                + " where m.user_id = ? and w.deleted_at is null and (w.personal_for = m.user_id or not exists"
                                + " (select 1 from workspace_members o where o.workspace_id = w.id and o.user_id <> m.user_id))")
                .param(userId)
                .query(Long.class)
                .list();
        alone.forEach(this::close);
        List<Long> others = jdbc.sql("select workspace_id from workspace_members where user_id = ?")
                .param(userId)
                .query(Long.class)
                .list();
        others.forEach(workspaceId -> endMembership(workspaceId, userId));
    }

    /** Adds an account as a member (an accepted invitation); false when it is one already. */
    boolean join(long workspaceId, long userId, WorkspaceRole role) {
        lock(workspaceId);
        return jdbc.sql("insert into workspace_members (workspace_id, user_id, role, joined_at) values (?, ?, ?, ?)"
                                + " on conflict do nothing")
                        .params(workspaceId, userId, role.value(), Sql.at(clock.instant()))
                        .update()
                == 1;
    }

    /** Locks the open workspace's row and reads its members; 404 when it is gone. */
    Roster lock(long workspaceId) {
        Locked locked = jdbc.sql(
                        "select name, personal_for from workspaces where id = ? and deleted_at is null for update")
                .param(workspaceId)
                .query((rs, n) -> new Locked(rs.getString(1), rs.getObject(2, Long.class)))
                .optional()
                .orElseThrow(WorkspaceNotFoundException::new);
        Map<Long, WorkspaceRole> roles = new HashMap<>();
        jdbc.sql("select user_id, role from workspace_members where workspace_id = ?")
                .param(workspaceId)
                .query(rs -> {
                    roles.put(rs.getLong(1), Workspaces.role(rs.getString(2)));
                });
        return new Roster(workspaceId, locked.name(), locked.personalFor(), roles);
    }

    private record Locked(String name, @Nullable Long personalFor) {}

    private void endMembership(long workspaceId, long userId) {
        Instant now = clock.instant();
        jdbc.sql("delete from workspace_members where workspace_id = ? and user_id = ?")
                .params(workspaceId, userId)
                .update();
        jdbc.sql("update users set last_workspace_id = null where id = ? and last_workspace_id = ?")
                .params(userId, workspaceId)
                .update();
        apiKeys.revokeAllIn(workspaceId, userId);
        refreshTokens.revokeAllIn(workspaceId, userId);
        outbox.append(Events.WORKSPACE_MEMBER_REMOVED, new WorkspaceMemberRemoved(workspaceId, userId, now));
    }

    private void setRole(long workspaceId, long userId, WorkspaceRole role) {
        jdbc.sql("update workspace_members set role = ? where workspace_id = ? and user_id = ?")
                .params(role.value(), workspaceId, userId)
                .update();
    }

    private @Nullable String currentSlug(long workspaceId) {
        return jdbc.sql("select slug from workspaces where id = ?")
                .param(workspaceId)
                .query(String.class)
                .optional()
                .orElse(null);
    }

    private static String slugTaken(String slug) {
        return "The address “" + slug + "” is taken; choose another.";
    }
}
