package dev.tandem.core.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What deleting some rows will do, read from the database's own foreign keys (not from the JPA
 * mapping, which may not know them all): which rows its {@code ON DELETE CASCADE} rules will delete
 * with them, table by table and however deep; which rows {@code SET NULL} will orphan; and which
 * references ({@code NO ACTION}, {@code RESTRICT}) will refuse the delete.
 */
@Component
class CascadePreview {

    /** Objects listed by name per table; the rest are counted. */
    static final int LISTED = 10;

    private static final int MAX_DEPTH = 8;

    /** A foreign key from {@code child.column} to {@code parent.parentColumn}, and its delete rule. */
    record ForeignKey(String child, String column, String parentColumn, char rule) {}

    record Item(String id, String display, @Nullable String url) {}

    /** The rows of one table the delete reaches; {@code column} is what SET NULL clears or what blocks. */
    record Effect(
            String table, @Nullable String label, @Nullable String column, long count, List<Item> listed) {}

    record Preview(List<Effect> deleted, List<Effect> orphaned, List<Effect> blocking) {
        public boolean blocked() {
            return !blocking.isEmpty();
        }

        public long count(String table) {
            return deleted.stream()
                    .filter(e -> e.table().equals(table))
                    .mapToLong(Effect::count)
                    .sum();
        }
    }

    /** A set of rows of a table, as a condition on its columns. */
    private record Rows(String condition, List<Object> params) {}

    private final JdbcClient jdbc;
    private final AdminSite site;
    private final Map<String, List<ForeignKey>> references = new ConcurrentHashMap<>();

    CascadePreview(JdbcClient jdbc, AdminSite site) {
        this.jdbc = jdbc;
        this.site = site;
    }

    Preview preview(AdminModel<?> model, List<Object> ids) {
        String placeholders = String.join(", ", ids.stream().map(id -> "?").toList());
        Rows root = new Rows(model.id.column + " in (" + placeholders + ")", List.copyOf(ids));
        Map<String, List<Rows>> deleted = new LinkedHashMap<>();
        Map<String, List<Rows>> nulled = new LinkedHashMap<>();
        Map<String, List<Rows>> restricting = new LinkedHashMap<>();
        deleted.computeIfAbsent(model.table, t -> new ArrayList<>()).add(root);
        follow(model.table, root, 0, deleted, nulled, restricting);

        List<Effect> deletedEffects = new ArrayList<>();
        deleted.forEach((table, rows) -> {
            Rows all = any(rows);
            long count = count(table, all);
            if (count > 0) {
                deletedEffects.add(effect(table, null, all, count));
            }
        });
        return new Preview(deletedEffects, surviving(nulled, deleted), surviving(restricting, deleted));
    }

    /**
     * The rows that point at deleted ones and are not deleted themselves, per {@code table.column}
     * of {@code references}: those SET NULL clears, or those that make the database refuse.
     */
    private List<Effect> surviving(Map<String, List<Rows>> references, Map<String, List<Rows>> deleted) {
        List<Effect> effects = new ArrayList<>();
        references.forEach((key, rows) -> {
            String[] tableColumn = key.split("\\.", 2);
            Rows survivors = butNot(any(rows), deleted.get(tableColumn[0]));
            long count = count(tableColumn[0], survivors);
            if (count > 0) {
                effects.add(effect(tableColumn[0], tableColumn[1], survivors, count));
            }
        });
        return effects;
    }

    private void follow(
            String table,
            Rows rows,
            int depth,
            Map<String, List<Rows>> deleted,
            Map<String, List<Rows>> nulled,
            Map<String, List<Rows>> restricting) {
        if (depth >= MAX_DEPTH) {
            return;
        }
        for (ForeignKey key : references(table)) {
            Rows children = new Rows(
                    key.column() + " in (select " + key.parentColumn() + " from " + table + " where " + rows.condition()
                            + ")",
                    rows.params());
            switch (key.rule()) {
                case 'c' -> {
                    deleted.computeIfAbsent(key.child(), t -> new ArrayList<>()).add(children);
                    follow(key.child(), children, depth + 1, deleted, nulled, restricting);
                }
                case 'n', 'd' ->
                    nulled.computeIfAbsent(key.child() + "." + key.column(), t -> new ArrayList<>())
                            .add(children);
                default ->
                    restricting
                            .computeIfAbsent(key.child() + "." + key.column(), t -> new ArrayList<>())
                            .add(children);
            }
        }
    }

    /** The single-column foreign keys that point at {@code table}, from PostgreSQL's catalog. */
    List<ForeignKey> references(String table) {
        return references.computeIfAbsent(
                table,
                t -> jdbc.sql("""
                        select c.conrelid::regclass::text as child, a.attname as child_column,
                               pa.attname as parent_column, c.confdeltype as rule
                        from pg_constraint c
                        join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
                        join pg_attribute pa on pa.attrelid = c.confrelid and pa.attnum = c.confkey[1]
                        where c.contype = 'f' and c.confrelid = ?::regclass and cardinality(c.conkey) = 1
                        order by 1, 2
                        """)
                        .param(t)
                        .query((rs, n) -> new ForeignKey(
                                rs.getString("child"),
                                rs.getString("child_column"),
                                rs.getString("parent_column"),
                                rs.getString("rule").charAt(0)))
                        .list());
    }

    private static Rows any(List<Rows> rows) {
        List<Object> params = new ArrayList<>();
        rows.forEach(r -> params.addAll(r.params()));
        return new Rows(
                "(" + String.join(") or (", rows.stream().map(Rows::condition).toList()) + ")", params);
    }

    private static Rows butNot(Rows rows, @Nullable List<Rows> excluded) {
        if (excluded == null) {
            return rows;
        }
        Rows gone = any(excluded);
        List<Object> params = new ArrayList<>(rows.params());
        params.addAll(gone.params());
        return new Rows("(" + rows.condition() + ") and not coalesce(" + gone.condition() + ", false)", params);
    }

    private long count(String table, Rows rows) {
        Long count = jdbc.sql("select count(*) from " + table + " where " + rows.condition())
                .params(rows.params())
                .query(Long.class)
                .single();
        return count;
    }

    private Effect effect(String table, @Nullable String column, Rows rows, long count) {
        AdminModel<?> model = site.modelOfTable(table);
        if (model == null) {
            return new Effect(table, null, column, count, List.of());
        }
        List<Item> listed = jdbc.sql("select " + model.id.column + "::text as id, " + model.display.column
                        + "::text as display from " + table + " where " + rows.condition() + " order by 1 limit "
                        + LISTED)
                .params(rows.params())
                .query((rs, n) -> new Item(
                        rs.getString("id"),
                        AdminField.shorten(String.valueOf(rs.getString("display"))),
                        "/admin/" + model.name + "/" + rs.getString("id")))
                .list();
        return new Effect(table, model.label, column, count, listed);
    }
}
