package dev.tandem.core.admin;

import dev.tandem.core.admin.AdminField.Kind;
import dev.tandem.core.admin.ListRequest.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Month;
import java.time.OffsetDateTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Runs a change list's queries, built to stay fast on tables of millions of rows: rows come by a
 * keyset (the sort column, then the id) when the count is only estimated; the count is exact only
 * when the planner expects fewer than {@value #EXACT_COUNT_LIMIT} rows, otherwise it is the
 * planner's estimate; filter counts and the date drill-down are counted over a sample of such
 * tables ({@code TABLESAMPLE SYSTEM}) and shown as approximate.
 */
@Component
class ChangeLists {

    static final long EXACT_COUNT_LIMIT = 20_000;
    /** Rows a sampled count reads, roughly. */
    private static final long SAMPLE_ROWS = 20_000;

    private static final Pattern PLAN_ROWS = Pattern.compile("\"Plan Rows\":\\s*(\\d+)");

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

    ChangeLists(JdbcClient jdbc, AdminSite site) {
        this.jdbc = jdbc;
        this.site = site;
    }

    View view(ListRequest request) {
        return view(request, true);
    }

    /** The list; without the sidebar's filter counts and the date drill-down when {@code sidebar} is false (an inline). */
    View view(ListRequest request, boolean sidebar) {
        AdminModel<?> model = request.model;
        Sql where = request.where(null);
        Count count = count(model, where);
        Count total = request.filtered() ? count(model, new Sql("true", List.of())) : count;
        boolean keyset = count.estimated() && request.keysetPossible();
        List<Row> rows = new ArrayList<>();
        Paging paging = keyset ? keysetPage(request, where, rows) : offsetPage(request, where, count, rows);
        return sidebar
                ? new View(
                        columns(request), rows, facets(request), drill(request), drillUp(request), count, paging, total)
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
            AdminModel<?> target = target(field);
            if (target != null) {
                String join = "r" + alias++;
                joins.add("left join " + target.table + " " + join + " on " + join + "." + target.id.column + " = t."
                        + field.column);
                columns.add(join + "." + target.display.column + " as " + field.column + "__display");
            }
        }
        return new Select(String.join(", ", columns), String.join(" ", joins));
    }

    private @Nullable AdminModel<?> target(AdminField field) {
        return field.kind == Kind.REFERENCE && field.target != null
                ? site.model(field.target).orElse(null)
                : null;
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
            } else if (target(field) instanceof AdminModel<?> target && value != null) {
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

    // ---- counts

    Count count(AdminModel<?> model, Sql where) {
        long estimate = estimate(model, where);
        if (estimate >= EXACT_COUNT_LIMIT) {
            return new Count(estimate, true);
        }
        Long exact = jdbc.sql("select count(*) from " + model.table + " t where " + where.text())
                .params(where.params())
                .query(Long.class)
                .single();
        return new Count(exact, false);
    }

    /** The planner's estimate of the rows matching; cheap (no rows are read), good enough for a large count. */
    private long estimate(AdminModel<?> model, Sql where) {
        String plan = jdbc.sql("explain (format json) select 1 from " + model.table + " t where " + where.text())
                .params(where.params())
                .query(String.class)
                .single();
        Matcher rows = PLAN_ROWS.matcher(plan);
        return rows.find() ? Long.parseLong(rows.group(1)) : Long.MAX_VALUE;
    }

    /** {@code from <table> t}, sampled when the matching rows are estimated beyond the exact-count limit. */
    private record Source(String from, double scale) {
        boolean sampled() {
            return scale != 1;
        }
    }

    private Source source(AdminModel<?> model, Sql where) {
        long rows = estimate(model, where);
        long all = estimate(model, new Sql("true", List.of()));
        if (rows < EXACT_COUNT_LIMIT || all <= SAMPLE_ROWS) {
            return new Source(model.table + " t", 1);
        }
        double percent = Math.min(100, Math.max(0.01, 100.0 * SAMPLE_ROWS / all));
        return new Source(
                model.table + " t tablesample system (" + String.format(Locale.ROOT, "%.4f", percent) + ")",
                100 / percent);
    }

    private static String countText(long count, Source source) {
        long value = Math.round(count * source.scale());
        return (source.sampled() ? "≈ " : "") + String.format(Locale.ROOT, "%,d", value);
    }

    private List<Facet> facets(ListRequest request) {
        List<Facet> facets = new ArrayList<>();
        for (AdminField field : request.model.filters) {
            facets.add(field.kind == Kind.INSTANT ? timeFacet(request, field) : facet(request, field));
        }
        return facets;
    }

    private Facet facet(ListRequest request, AdminField field) {
        AdminModel<?> model = request.model;
        Sql where = request.where(field);
        Source source = source(model, where);
        AdminModel<?> target = target(field);
        String label = target == null ? "null" : "r." + target.display.column;
        String join = target == null
                ? ""
                : " left join " + target.table + " r on r." + target.id.column + " = t." + field.column;
        Map<String, long[]> counts = new LinkedHashMap<>();
        Map<String, String> labels = new LinkedHashMap<>();
        jdbc.sql("select t." + field.column + "::text as value, " + label + " as label, count(*) as n from "
                        + source.from() + join + " where " + where.text() + " group by 1, 2 order by 3 desc limit 12")
                .params(where.params())
                .query(rs -> {
                    String value = rs.getString("value");
                    String key = value == null ? "__null" : value;
                    counts.put(key, new long[] {rs.getLong("n")});
                    labels.put(key, rs.getString("label"));
                });
        String selected = request.filters.get(field.name);
        List<Option> options = new ArrayList<>();
        options.add(new Option("All", "", request.url("f." + field.name, null), selected == null));
        List<String> values = new ArrayList<>();
        if (field.kind == Kind.BOOLEAN) {
            values.addAll(List.of("true", "false"));
        } else if (field.kind == Kind.ENUM) {
            field.choices.forEach(choice -> values.add(choice.value()));
        } else {
            counts.keySet().stream().filter(v -> !v.equals("__null")).forEach(values::add);
            if (selected != null && !values.contains(selected)) {
                values.add(selected);
            }
        }
        if (field.nullable) {
            values.add("__null");
        }
        for (String value : values) {
            String text = switch (field.kind) {
                case BOOLEAN -> "true".equals(value) ? "Yes" : "No";
                case ENUM -> field.choiceLabel(value);
                case REFERENCE -> labels.get(value) != null ? labels.get(value) + " (#" + value + ")" : "#" + value;
                default -> value;
            };
            if (value.equals("__null")) {
                text = "None";
            }
            long[] n = counts.get(value);
            options.add(new Option(
                    text,
                    countText(n == null ? 0 : n[0], source),
                    request.url("f." + field.name, value),
                    value.equals(selected)));
        }
        return new Facet(field.name, field.label, options);
    }

    private Facet timeFacet(ListRequest request, AdminField field) {
        String selected = request.filters.get(field.name);
        List<Option> options = new ArrayList<>();
        Map<String, String> ranges = new LinkedHashMap<>();
        ranges.put("", "Any date");
        ranges.put("today", "Today");
        ranges.put("7d", "Past 7 days");
        ranges.put("30d", "Past 30 days");
        ranges.put("year", "This year");
        if (field.nullable) {
            ranges.put("__set", "Has a date");
            ranges.put("__null", "No date");
        }
        ranges.forEach((value, text) -> options.add(new Option(
                text,
                "",
                request.url("f." + field.name, value),
                value.isEmpty() ? selected == null : value.equals(selected))));
        return new Facet(field.name, field.label, options);
    }

    // ---- date drill-down

    private List<Option> drill(ListRequest request) {
        AdminModel<?> model = request.model;
        AdminField field = model.dateHierarchy;
        if (field == null) {
            return List.of();
        }
        String unit =
                request.year == null ? "year" : request.month == null ? "month" : request.day == null ? "day" : null;
        if (unit == null) {
            return List.of();
        }
        Sql where = request.where(null);
        Source source = source(model, where);
        List<Option> options = new ArrayList<>();
        jdbc.sql("select extract(" + unit + " from t." + field.column
                        + " at time zone 'UTC')::int as part, count(*) as n from "
                        + source.from() + " where " + where.text() + " and t." + field.column
                        + " is not null group by 1 order by 1")
                .params(where.params())
                .query(rs -> {
                    int part = rs.getInt("part");
                    String text = switch (unit) {
                        case "month" ->
                            Month.of(part).getDisplayName(TextStyle.SHORT, Locale.ENGLISH) + " " + request.year;
                        case "day" ->
                            Month.of(request.month).getDisplayName(TextStyle.SHORT, Locale.ENGLISH) + " " + part;
                        default -> Integer.toString(part);
                    };
                    options.add(new Option(
                            text,
                            countText(rs.getLong("n"), source),
                            request.url(unit, Integer.toString(part)),
                            false));
                });
        return options;
    }

    private static @Nullable String drillUp(ListRequest request) {
        if (request.year == null) {
            return null;
        }
        Map<String, @Nullable String> up = new LinkedHashMap<>();
        if (request.day != null) {
            up.put("day", null);
        } else if (request.month != null) {
            up.put("month", null);
        } else {
            up.put("year", null);
        }
        return request.url(up);
    }
}
