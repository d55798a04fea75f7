package dev.tandem.core.admin;

import dev.tandem.core.admin.AdminField.Kind;
import dev.tandem.core.admin.ListRequest.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Runs a change list's queries, built to stay fast on tables of millions of rows: rows come by a
 * keyset (the sort column, then the id) when the count is only estimated; the count is exact only
 * when the planner expects fewer than {@value ListCounts#EXACT_COUNT_LIMIT} rows, otherwise it is the
 * planner's estimate; filter counts and the date drill-down are counted over a sample of such
 * tables ({@code TABLESAMPLE SYSTEM}) and shown as approximate.
 */
@Component
class ChangeLists {

    record Column(String name, String label, @Nullable String sortUrl, String sorted) {}

    record Cell(String text, String kind, @Nullable String link) {}

    record Row(String id, String url, String display, List<Cell> cells) {}

    record Option(String label, String count, String url, boolean selected) {}

    record Facet(String name, String label, List<Option> options) {}

    record Count(long value, boolean estimated) {
        public String text() {
            return (estimated ? "≈ " : "") + String.format(Locale.ROOT, "%,d", value);
        }
    }

    record PageLink(String label, @Nullable String url, boolean current) {}

    record Paging(@Nullable String previous, @Nullable String next, List<PageLink> pages) {}

    record View(
            List<Column> columns,
            List<Row> rows,
            List<Facet> facets,
            List<Option> drill,
            @Nullable String drillUp,
            Count count,
            Paging paging,
            Count total) {}

    private final JdbcClient jdbc;
    private final AdminSite site;

    private final ListCounts counts;

    ChangeLists(JdbcClient jdbc, AdminSite site, ListCounts counts) {
        this.jdbc = jdbc;
        this.site = site;
        this.counts = counts;
    }

    View view(ListRequest request) {
        return view(request, true);
    }

    /** The list; without the sidebar's filter counts and the date drill-down when {@code sidebar} is false (an inline). */
    View view(ListRequest request, boolean sidebar) {
        AdminModel<?> model = request.model;
        Sql where = request.where(null);
        Count count = counts.count(model, where);
        Count total = request.filtered() ? counts.count(model, new Sql("true", List.of())) : count;
        boolean keyset = count.estimated() && request.keysetPossible();
        List<Row> rows = new ArrayList<>();
        Paging paging = keyset ? keysetPage(request, where, rows) : offsetPage(request, where, count, rows);
        return sidebar
                ? new View(
                        columns(request),
                        rows,
                        counts.facets(request),
                        counts.drill(request),
                        ListCounts.drillUp(request),
                        count,
                        paging,
                        total)
                : new View(columns(request), rows, List.of(), List.of(), null, count, paging, total);
    }

    private List<Column> columns(ListRequest request) {
        return request.model.list.stream()
                .map(field -> {
                    String sorted = field == request.sort ? (request.descending ? "desc" : "asc") : "";
                    String url = field.sortable()
                            ? request.url("o", (field == request.sort && !request.descending ? "-" : "") + field.name)
                            : null;
                    return new Column(field.name, field.label, url, sorted);
                })
                .toList();
    }

    // ---- rows

    /** The select list and joins of a page of rows: the id, the display field and each listed column (a reference shows its target's name). */
    private record Select(String columns, String joins) {}

    private Select select(AdminModel<?> model) {
        List<String> columns = new ArrayList<>();
        List<String> joins = new ArrayList<>();
        columns.add("t." + model.id.column + " as id__");
        columns.add("t." + model.display.column + " as display__");
        int alias = 0;
        for (AdminField field : model.list) {
            columns.add("t." + field.column + " as " + field.column);
            AdminModel<?> target = site.target(field);
            if (target != null) {
                String join = "r" + alias++;
                joins.add("left join " + target.table + " " + join + " on " + join + "." + target.id.column + " = t."
                        + field.column);
                columns.add(join + "." + target.display.column + " as " + field.column + "__display");
            }
        }
        return new Select(String.join(", ", columns), String.join(" ", joins));
    }

    private Paging offsetPage(ListRequest request, Sql where, Count count, List<Row> rows) {
        AdminModel<?> model = request.model;
        int perPage = model.admin.perPage;
        long pages = count.estimated() ? Long.MAX_VALUE : Math.max(1, (count.value() + perPage - 1) / perPage);
        int page = (int) Math.min(request.page, pages);
        Select select = select(model);
        List<Object> params = new ArrayList<>(where.params());
        params.add(perPage + 1);
        params.add((long) (page - 1) * perPage);
        List<Row> found = jdbc.sql("select " + select.columns() + " from " + model.table + " t " + select.joins()
                        + " where " + where.text() + " order by " + order(request, false) + " limit ? offset ?")
                .params(params)
                .query((rs, n) -> row(model, rs))
                .list();
        boolean more = found.size() > perPage;
        rows.addAll(more ? found.subList(0, perPage) : found);
        List<PageLink> links = new ArrayList<>();
        if (!count.estimated() && pages > 1) {
            for (long p = 1; p <= pages; p++) {
                if (p <= 2 || p > pages - 2 || Math.abs(p - page) <= 2) {
                    links.add(new PageLink(Long.toString(p), pageUrl(request, p), p == page));
                } else if (!links.isEmpty() && !links.getLast().label().equals("…")) {
                    links.add(new PageLink("…", null, false));
                }
            }
        }
        return new Paging(
                page > 1 ? pageUrl(request, page - 1) : null, more ? pageUrl(request, page + 1) : null, links);
    }

    private static String pageUrl(ListRequest request, long page) {
        return request.url("p", page == 1 ? null : Long.toString(page));
    }

    private Paging keysetPage(ListRequest request, Sql where, List<Row> rows) {
        AdminModel<?> model = request.model;
        int perPage = model.admin.perPage;
        String cursor = request.after != null ? request.after : request.before;
        boolean backwards = request.before != null;
        List<Object> params = new ArrayList<>(where.params());
        String condition = where.text();
        // ListRequest only keeps a cursor whose parts fit the columns' types; ids hold no "~".
        int split = cursor == null ? -1 : cursor.lastIndexOf('~');
        if (cursor != null && split > 0) {
            String[] parts = {cursor.substring(0, split), cursor.substring(split + 1)};
            // Rows after the cursor in the list's order (before it, going back): a row comparison the index serves.
            boolean greater = request.descending == backwards;
            condition += " and (t." + request.sort.column + ", t." + model.id.column + ") " + (greater ? ">" : "<")
                    + " (cast(? as " + sqlType(request.sort) + "), cast(? as " + sqlType(model.id) + "))";
            params.add(parts[0]);
            params.add(parts[1]);
        }
        params.add(perPage + 1);
        Select select = select(model);
        List<Object[]> found = jdbc.sql("select " + select.columns() + ", t." + request.sort.column + " as sort__ from "
                        + model.table + " t " + select.joins() + " where " + condition + " order by "
                        + order(request, backwards) + " limit ?")
                .params(params)
                .query((rs, n) ->
                        new Object[] {row(model, rs), cursorValue(request.sort, rs) + "~" + rs.getString("id__")})
                .list();
        boolean more = found.size() > perPage;
        List<Object[]> page = new ArrayList<>(more ? found.subList(0, perPage) : found);
        if (backwards) {
            Collections.reverse(page);
        }
        page.forEach(r -> rows.add((Row) r[0]));
        String previous = null;
        String next = null;
        if (!page.isEmpty()) {
            String first = (String) page.getFirst()[1];
            String last = (String) page.getLast()[1];
            boolean hasEarlier = backwards ? more : cursor != null;
            boolean hasLater = backwards || more;
            previous = hasEarlier ? request.url("before", first) : null;
            next = hasLater ? request.url("after", last) : null;
        }
        List<PageLink> links =
                cursor == null ? List.of() : List.of(new PageLink("First page", request.url(Map.of()), false));
        return new Paging(previous, next, links);
    }

    private static String cursorValue(AdminField sort, ResultSet rs) throws SQLException {
        if (sort.kind == Kind.INSTANT) {
            OffsetDateTime time = rs.getObject("sort__", OffsetDateTime.class);
            return time == null ? "" : time.toInstant().toString();
        }
        if (sort.kind == Kind.BOOLEAN) {
            return Boolean.toString(rs.getBoolean("sort__"));
        }
        return String.valueOf(rs.getString("sort__"));
    }

    private static String order(ListRequest request, boolean reversed) {
        String direction = request.descending != reversed ? " desc" : " asc";
        String nulls = request.descending != reversed ? " nulls last" : " nulls first";
        String first = "t." + request.sort.column + direction + (request.sort.nullable ? nulls : "");
        return request.sort.id ? first : first + ", t." + request.model.id.column + direction;
    }

    static String sqlType(AdminField field) {
        return switch (field.kind) {
            case INTEGER, REFERENCE -> "bigint";
            case DECIMAL -> "numeric";
            case BOOLEAN -> "boolean";
            case INSTANT -> "timestamptz";
            case UUID -> "uuid";
            default -> "text";
        };
    }

    private Row row(AdminModel<?> model, ResultSet rs) throws SQLException {
        String id = rs.getString("id__");
        String url = "/admin/" + model.name + "/" + id;
        List<Cell> cells = new ArrayList<>();
        for (AdminField field : model.list) {
            Object value = value(field, rs, field.column);
            String text = field.format(value);
            String link = null;
            if (field.kind == Kind.ENUM) {
                text = value == null ? "" : field.choiceLabel(text);
            } else if (site.target(field) instanceof AdminModel<?> target && value != null) {
                String name = rs.getString(field.column + "__display");
                text = name == null ? text : name;
                link = "/admin/" + target.name + "/" + value;
            } else if (field.kind == Kind.LONG_TEXT || field.kind == Kind.TEXT) {
                text = text.length() > 120 ? text.substring(0, 119) + "…" : text;
            }
            cells.add(new Cell(text, kindClass(field, value), link));
        }
        String display = AdminField.shorten(field(model.display, rs, "display__"));
        return new Row(id, url, display, cells);
    }

    private static String field(AdminField field, ResultSet rs, String column) throws SQLException {
        return field.format(value(field, rs, column));
    }

    static @Nullable Object value(AdminField field, ResultSet rs, String column) throws SQLException {
        return switch (field.kind) {
            case INSTANT -> {
                OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
                yield time == null ? null : time.toInstant();
            }
            case BOOLEAN -> {
                boolean value = rs.getBoolean(column);
                yield rs.wasNull() ? null : value;
            }
            case ARRAY -> {
                java.sql.Array array = rs.getArray(column);
                yield array == null ? null : (Object[]) array.getArray();
            }
            default -> rs.getString(column);
        };
    }

    private static String kindClass(AdminField field, @Nullable Object value) {
        if (value == null) {
            return "empty";
        }
        return switch (field.kind) {
            case BOOLEAN -> Boolean.TRUE.equals(value) ? "yes" : "no";
            case INTEGER, DECIMAL -> "number";
            case INSTANT -> "time";
            case ENUM -> "enum enum-" + value;
            default -> "text";
        };
    }
}
