package dev.tandem.core.identity.workspaces;

import dev.tandem.schema.workspaces.WorkspaceAction;
import dev.tandem.schema.workspaces.WorkspaceRole;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Workspaces as their members see them: an account's workspaces, its role in one, the members of
 * one, and the workspace a new sign-in acts in. Changes go through {@link WorkspaceService}.
 */
@Service
public class Workspaces {

    /**
     * A workspace as one of its members sees it; {@code personal} when it is this member's own
     * personal workspace (another account's personal workspace is, to a guest, like a team one).
     */
    public record Membership(long id, String name, String slug, boolean personal, WorkspaceRole role) {

        public boolean may(WorkspaceAction action) {
            return role.may(action);
        }
    }

    /** A member as the members page lists it. */
    public record Member(long userId, String displayName, String email, WorkspaceRole role, Instant joinedAt) {}

    private static final String MEMBERSHIP =
            "select w.id, w.name, w.slug, coalesce(w.personal_for = m.user_id, false) as personal, m.role"
                    + " from workspaces w join workspace_members m on m.workspace_id = w.id"
                    + " where m.user_id = ? and w.deleted_at is null";

    private final JdbcClient jdbc;

    Workspaces(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The account's workspaces, its personal one first, then by name. */
    public List<Membership> of(long userId) {
        return jdbc.sql(MEMBERSHIP + " order by w.personal_for is null, lower(w.name), w.id")
                .param(userId)
                .query(Workspaces::membership)
                .list();
    }

    public Optional<Membership> membership(long userId, String slug) {
        return jdbc.sql(MEMBERSHIP + " and w.slug = ?")
                .params(userId, slug)
                .query(Workspaces::membership)
                .optional();
    }

    /** The account's membership of the workspace at {@code slug}; 404 when there is none. */
    public Membership require(long userId, String slug) {
        return membership(userId, slug).orElseThrow(WorkspaceNotFoundException::new);
    }

    /**
     * The account's membership of the workspace at {@code slug} if its role allows {@code action};
     * 404 otherwise, the same as for a workspace that does not exist.
     */
    public Membership require(long userId, String slug, WorkspaceAction action) {
        return membership(userId, slug)
                .filter(membership -> membership.may(action))
                .orElseThrow(WorkspaceNotFoundException::new);
    }

    public Optional<Membership> membership(long userId, long workspaceId) {
        return jdbc.sql(MEMBERSHIP + " and w.id = ?")
                .params(userId, workspaceId)
                .query(Workspaces::membership)
                .optional();
    }

    /**
     * The workspace a new sign-in of the account acts in: the one it used last, else its personal
     * one, else any (empty only when staff deleted every workspace the account was in).
     */
    public Optional<Membership> defaultFor(long userId) {
        return jdbc.sql(MEMBERSHIP
                        + " order by (w.id = (select last_workspace_id from users where id = ?)) is true desc,"
                        + " (w.personal_for = ?) is true desc, w.id limit 1")
                .params(userId, userId, userId)
                .query(Workspaces::membership)
                .optional();
    }

    /** Remembers the workspace the account switched to, for the next sign-in and token. */
    public void markUsed(long userId, long workspaceId) {
        jdbc.sql("update users set last_workspace_id = ? where id = ? and last_workspace_id is distinct from ?")
                .params(workspaceId, userId, workspaceId)
                .update();
    }

    public List<Member> members(long workspaceId) {
        return jdbc.sql("select u.id, u.display_name, u.email, m.role, m.joined_at from workspace_members m"
                        + " join users u on u.id = m.user_id where m.workspace_id = ?"
                        + " order by case m.role when 'owner' then 0 when 'admin' then 1 when 'member' then 2 else 3 end,"
                        + " lower(u.display_name), u.id")
                .param(workspaceId)
                .query((rs, n) -> new Member(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        role(rs.getString(4)),
                        rs.getTimestamp(5).toInstant()))
                .list();
    }

    /**
     * The team workspaces whose only owner is this account while others are members: an account
     * cannot close while it holds one (its members would be left without an owner).
     */
    public List<String> soleOwnerOf(long userId) {
        return jdbc.sql("select w.name from workspaces w join workspace_members m on m.workspace_id = w.id"
                        + " where m.user_id = ? and m.role = 'owner' and w.personal_for is null and w.deleted_at is null"
                        + " and not exists (select 1 from workspace_members o where o.workspace_id = w.id"
                        + " and o.user_id <> m.user_id and o.role = 'owner')"
                        + " and exists (select 1 from workspace_members o where o.workspace_id = w.id and o.user_id <> m.user_id)"
                        + " order by lower(w.name)")
                .param(userId)
                .query(String.class)
                .list();
    }

    private static Membership membership(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new Membership(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getString("slug"),
                rs.getBoolean("personal"),
                role(rs.getString("role")));
    }

    static WorkspaceRole role(String value) {
        return WorkspaceRole.parse(value).orElseThrow(() -> new IllegalStateException("unknown role " + value));
    }
}
