package dev.tandem.core.admin;

import dev.tandem.core.admin.AdminField.Kind;
import dev.tandem.core.admin.ListRequest.Sql;
import java.time.Month;
import java.time.format.TextStyle;
import java.util.ArrayList;
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
 * How many rows a change list holds, and the sidebar's filter counts and date drill-down, kept cheap
 * on tables of millions of rows: an exact count only when the planner expects fewer than {@value
 * #EXACT_COUNT_LIMIT} rows, else the planner's estimate; grouped counts over a {@code TABLESAMPLE
 * SYSTEM} sample of such tables, scaled up and shown as approximate.
 */
@Component
class ListCounts {

    static final long EXACT_COUNT_LIMIT = 20_000;
    /** Rows a sampled count reads, roughly. */
    private static final long SAMPLE_ROWS = 20_000;

    private static final Pattern PLAN_ROWS = Pattern.compile("\"Plan Rows\":\\s*(\\d+)");

    private final JdbcClient jdbc;
    private final AdminSite site;

    ListCounts(JdbcClient jdbc, AdminSite site) {
        this.jdbc = jdbc;
        this.site = site;
    }

    ChangeLists.Count count(AdminModel<?> model, Sql where) {
        long estimate = estimate(model, where);
        if (estimate >= EXACT_COUNT_LIMIT) {
            return new ChangeLists.Count(estimate, true);
        }
        Long exact = jdbc.sql("select count(*) from " + model.table + " t where " + where.text())
                .params(where.params())
                .query(Long.class)
                .single();
        return new ChangeLists.Count(exact, false);
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

    List<ChangeLists.Facet> facets(ListRequest request) {
        List<ChangeLists.Facet> facets = new ArrayList<>();
        for (AdminField field : request.model.filters) {
            facets.add(field.kind == Kind.INSTANT ? timeFacet(request, field) : facet(request, field));
        }
        return facets;
    }

    private ChangeLists.Facet facet(ListRequest request, AdminField field) {
        AdminModel<?> model = request.model;
        Sql where = request.where(field);
        Source source = source(model, where);
        AdminModel<?> target = site.target(field);
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
        List<ChangeLists.Option> options = new ArrayList<>();
        options.add(new ChangeLists.Option("All", "", request.url("f." + field.name, null), selected == null));
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
            options.add(new ChangeLists.Option(
                    text,
                    countText(n == null ? 0 : n[0], source),
                    request.url("f." + field.name, value),
                    value.equals(selected)));
        }
        return new ChangeLists.Facet(field.name, field.label, options);
    }

    private ChangeLists.Facet timeFacet(ListRequest request, AdminField field) {
        String selected = request.filters.get(field.name);
        List<ChangeLists.Option> options = new ArrayList<>();
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
        ranges.forEach((value, text) -> options.add(new ChangeLists.Option(
                text,
                "",
                request.url("f." + field.name, value),
                value.isEmpty() ? selected == null : value.equals(selected))));
        return new ChangeLists.Facet(field.name, field.label, options);
    }

    // ---- date drill-down

    List<ChangeLists.Option> drill(ListRequest request) {
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
        List<ChangeLists.Option> options = new ArrayList<>();
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
                    options.add(new ChangeLists.Option(
                            text,
                            countText(rs.getLong("n"), source),
                            request.url(unit, Integer.toString(part)),
                            false));
                });
        return options;
    }

    static @Nullable String drillUp(ListRequest request) {
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
