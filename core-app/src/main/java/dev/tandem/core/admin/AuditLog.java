package dev.tandem.core.admin;

import dev.tandem.core.messaging.Outbox;
import dev.tandem.schema.events.AdminRecordChanged;
import dev.tandem.schema.events.Events;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The admin's history ({@code audit_log}): who added, changed or deleted which object, when, and
 * each field's value before and after. Every entry is written in the transaction of the change,
 * with the {@code admin.record_changed} event that lets the table's owner and caches react.
 */
@Component
class AuditLog {

    enum Action {
        ADDED("added"),
        CHANGED("changed"),
        DELETED("deleted");

        final String code;

        Action(String code) {
            this.code = code;
        }
    }

    /** One field's values around a change, as the admin shows them; null where there was none (added, deleted). */
    record Change(@Nullable String from, @Nullable String to) {}

    record Entry(
            long id,
            Instant at,
            @Nullable Long actorId,
            String actor,
            String action,
            String entity,
            String objectId,
            String objectRepr,
            Map<String, Change> changes,
            String note) {

        public String url() {
            return "/admin/" + entity + "/" + objectId;
        }

        public String when() {
            return AdminField.TIME.format(at);
        }
    }

    private static final TypeReference<LinkedHashMap<String, Change>> CHANGES = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Outbox outbox;
    private final Clock clock;

    AuditLog(JdbcClient jdbc, JsonMapper json, Outbox outbox, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** The changed fields between two snapshots (field name to formatted value). */
    static Map<String, Change> diff(Map<String, String> before, Map<String, String> after) {
        Map<String, Change> changes = new LinkedHashMap<>();
        for (String field : union(before.keySet(), after.keySet())) {
            String from = before.get(field);
            String to = after.get(field);
            if (!Objects.equals(from, to)) {
                changes.put(field, new Change(from, to));
            }
        }
        return changes;
    }

    private static List<String> union(Collection<String> a, Collection<String> b) {
        java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    /** Writes the entry and the event; must run in the change's transaction. */
    @Transactional(propagation = Propagation.MANDATORY)
    void record(
            Authentication actor,
            Action action,
            AdminModel<?> model,
            String objectId,
            String repr,
            Map<String, Change> changes,
            String note) {
        long actorId = AdminSite.actorId(actor);
        Instant now = clock.instant();
        jdbc.sql("""
                        insert into audit_log (occurred_at, actor_id, actor_email, action, entity, object_id, object_repr, changes, note)
                        values (?, ?, coalesce((select email from users where id = ?), ''), ?, ?, ?, ?, ?::jsonb, ?)
                        """)
                .params(
                        java.sql.Timestamp.from(now),
                        actorId,
                        actorId,
                        action.code,
                        model.name,
                        objectId,
                        repr.length() > 200 ? repr.substring(0, 199) + "…" : repr,
                        json.writeValueAsString(changes),
                        note)
                .update();
        outbox.append(
                Events.ADMIN_RECORD_CHANGED, new AdminRecordChanged(model.table, objectId, action.code, actorId, now));
    }

    List<Entry> of(AdminModel<?> model, String objectId, int limit) {
        return jdbc.sql(
                        "select * from audit_log where entity = ? and object_id = ? order by occurred_at desc, id desc limit ?")
                .params(model.name, objectId, limit)
                .query((rs, n) -> entry(rs))
                .list();
    }

    Optional<Entry> last(AdminModel<?> model, String objectId) {
        return of(model, objectId, 1).stream().findFirst();
    }

    /** The newest entries about the given entities (those the viewer may see). */
    List<Entry> recent(Collection<String> entities, int limit) {
        if (entities.isEmpty()) {
            return List.of();
        }
        return jdbc.sql(
                        "select * from audit_log where entity in (:entities) order by occurred_at desc, id desc limit :limit")
                .param("entities", entities)
                .param("limit", limit)
                .query((rs, n) -> entry(rs))
                .list();
    }

    private Entry entry(java.sql.ResultSet rs) throws java.sql.SQLException {
        long actorValue = rs.getLong("actor_id");
        Long actorId = rs.wasNull() ? null : actorValue;
        return new Entry(
                rs.getLong("id"),
                rs.getObject("occurred_at", OffsetDateTime.class).toInstant(),
                actorId,
                rs.getString("actor_email"),
                rs.getString("action"),
                rs.getString("entity"),
                rs.getString("object_id"),
                rs.getString("object_repr"),
                json.readValue(rs.getString("changes"), CHANGES),
                rs.getString("note"));
    }
}
