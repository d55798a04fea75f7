package dev.tandem.core.admin;

import dev.tandem.core.admin.AdminField.Kind;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;
import org.springframework.util.MultiValueMap;

/**
 * What a change list URL asks for: the search text ({@code q}), filters ({@code f.<field>}), the
 * date drill-down ({@code year}, {@code month}, {@code day}), the order ({@code o}, {@code -} for
 * descending) and the page ({@code p}, or a keyset cursor {@code after}/{@code before}). Turns it
 * into SQL conditions with bound parameters, and builds the URLs of the page's links.
 */
final class ListRequest {

    /** A part of a {@code where} clause and its parameters. */
    record Sql(String text, List<Object> params) {}

    final AdminModel<?> model;
    final String search;
    final Map<String, String> filters;
    final @Nullable Integer year;
    final @Nullable Integer month;
    final @Nullable Integer day;
    final AdminField sort;
    final boolean descending;
    final int page;
    final @Nullable String after;
    final @Nullable String before;

    ListRequest(AdminModel<?> model, MultiValueMap<String, String> params) {
        this.model = model;
        this.search = clean(first(params, "q")).strip();
        Map<String, String> filters = new LinkedHashMap<>();
        params.forEach((key, values) -> {
            if (key.startsWith("f.") && !values.isEmpty() && !values.getFirst().isEmpty()) {
                // The registration's filters, and any reference (the links from inlines and other lists).
                AdminField field = model.fields.get(key.substring(2));
                if (field != null
                        && field.inTable()
                        && (model.filters.contains(field) || field.kind == AdminField.Kind.REFERENCE)) {
                    filters.put(field.name, clean(values.getFirst()));
                }
            }
        });
        this.filters = filters;
        // A date that does not exist (month 13, 31 February) is ignored, as a date the list cannot show.
        Integer year = number(first(params, "year"));
        Integer month = number(first(params, "month"));
        Integer day = number(first(params, "day"));
        this.year = year != null && year >= 1 && year <= 9999 ? year : null;
        this.month = this.year != null && month != null && month >= 1 && month <= 12 ? month : null;
        this.day = this.month != null
                        && day != null
                        && day >= 1
                        && day <= YearMonth.of(this.year, this.month).lengthOfMonth()
                ? day
                : null;
        String order = first(params, "o");
        String orderField = order.replaceFirst("^-", "");
        // The listed columns and the default order: columns an index may serve, not any column of the table.
        AdminField ordered = model.fields.get(orderField);
        if (ordered != null && ordered.sortable() && (model.list.contains(ordered) || ordered == model.orderBy)) {
            this.sort = model.fields.get(orderField);
            this.descending = order.startsWith("-");
        } else {
            this.sort = model.orderBy;
            this.descending = model.descending;
        }
        Integer page = number(first(params, "p"));
        this.page = page == null || page < 1 ? 1 : Math.min(page, 10_000);
        this.after = cursor(first(params, "after"));
        this.before = after == null ? cursor(first(params, "before")) : null;
    }

    /** Whether a keyset (the sort column, then the id) can page this order: the column has no nulls. */
    boolean keysetPossible() {
        return sort.id || !sort.nullable;
    }

    /** The conditions of the search, the filters and the date drill-down, leaving out one filter (its facet counts). */
    Sql where(@Nullable AdminField without) {
        List<String> parts = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        if (!search.isEmpty()) {
            List<String> any = new ArrayList<>();
            String pattern = "%"
                    + search.toLowerCase(Locale.ROOT)
                            .replace("\\", "\\\\")
                            .replace("%", "\\%")
                            .replace("_", "\\_") + "%";
            for (AdminField field : model.search) {
                any.add("lower(t." + field.column + "::text) like ?");
                params.add(pattern);
            }
            if (model.id.kind == Kind.INTEGER && search.matches("\\d{1,18}")) {
                any.add("t." + model.id.column + " = ?");
                params.add(Long.parseLong(search));
            }
            parts.add(any.isEmpty() ? "false" : "(" + String.join(" or ", any) + ")");
        }
        filters.forEach((name, value) -> {
            AdminField field = model.field(name);
            if (field != without) {
                Sql condition = condition(field, value);
                parts.add(condition.text());
                params.addAll(condition.params());
            }
        });
        if (year != null && model.dateHierarchy != null) {
            LocalDate from = LocalDate.of(year, month == null ? 1 : month, day == null ? 1 : day);
            LocalDate to = day != null ? from.plusDays(1) : month != null ? from.plusMonths(1) : from.plusYears(1);
            parts.add("t." + model.dateHierarchy.column + " >= ? and t." + model.dateHierarchy.column + " < ?");
            params.add(java.sql.Timestamp.from(from.atStartOfDay(ZoneOffset.UTC).toInstant()));
            params.add(java.sql.Timestamp.from(to.atStartOfDay(ZoneOffset.UTC).toInstant()));
        }
        return new Sql(parts.isEmpty() ? "true" : String.join(" and ", parts), params);
    }

    private static Sql condition(AdminField field, String value) {
        String column = "t." + field.column;
        if ("__null".equals(value)) {
            return new Sql(column + " is null", List.of());
        }
        return switch (field.kind) {
            case BOOLEAN -> new Sql(column + " = ?", List.of(Boolean.parseBoolean(value)));
            case INSTANT ->
                switch (value) {
                    case "today" -> new Sql(column + " >= date_trunc('day', now())", List.of());
                    case "7d" -> new Sql(column + " >= now() - interval '7 days'", List.of());
                    case "30d" -> new Sql(column + " >= now() - interval '30 days'", List.of());
                    case "year" -> new Sql(column + " >= date_trunc('year', now())", List.of());
                    case "__set" -> new Sql(column + " is not null", List.of());
                    default -> new Sql("true", List.of());
                };
            case INTEGER, REFERENCE ->
                value.matches("-?\\d{1,18}")
                        ? new Sql(column + " = ?", List.of(Long.parseLong(value)))
                        : new Sql(column + "::text = ?", List.of(value));
            default -> new Sql(column + "::text = ?", List.of(value));
        };
    }

    /** This list's URL with some parameters changed ({@code null} removes one); the page always starts again. */
    String url(Map<String, @Nullable String> changes) {
        return url("/admin/" + model.name, changes);
    }

    /** The CSV export of this list (same search, filters, date and order). */
    String exportUrl() {
        return url("/admin/" + model.name + "/export.csv", Map.of());
    }

    /**
     * {@code path} with this list's parameters, changed by {@code changes}. Each name and value is
     * encoded whole ({@code +} as {@code %2B}, braces too), so a search for "a+b@x" or "{x}" comes
     * back as typed, and a redirect to it expands nothing.
     */
    private String url(String path, Map<String, @Nullable String> changes) {
        Map<String, @Nullable String> params = new LinkedHashMap<>(state());
        params.remove("p");
        params.remove("after");
        params.remove("before");
        params.putAll(changes);
        StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
        params.forEach((key, value) -> {
            if (value != null && !value.isEmpty()) {
                query.add(URLEncoder.encode(key, StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        });
        return path + query;
    }

    /** PostgreSQL cannot take a NUL character in text: it is dropped from what a URL asks for. */
    private static String clean(String value) {
        return value.replace("\0", "");
    }

    String url(String key, @Nullable String value) {
        Map<String, @Nullable String> change = new LinkedHashMap<>();
        change.put(key, value);
        return url(change);
    }

    /** The query string of the current search, filters and order (for CSV export and the bulk actions' way back). */
    Map<String, String> state() {
        Map<String, String> params = new LinkedHashMap<>();
        if (!search.isEmpty()) {
            params.put("q", search);
        }
        filters.forEach((name, value) -> params.put("f." + name, value));
        if (year != null) {
            params.put("year", year.toString());
        }
        if (month != null) {
            params.put("month", month.toString());
        }
        if (day != null) {
            params.put("day", day.toString());
        }
        if (sort != model.orderBy || descending != model.descending) {
            params.put("o", (descending ? "-" : "") + sort.name);
        }
        return params;
    }

    boolean filtered() {
        return !search.isEmpty() || !filters.isEmpty() || year != null;
    }

    /**
     * A keyset cursor ({@code <sort value>~<id>}) whose parts fit the sort column's and the id's
     * types; anything else is ignored (the list starts at its first page) rather than sent to SQL.
     */
    private @Nullable String cursor(String text) {
        int split = text.lastIndexOf('~');
        return split > 0 && fits(sort, text.substring(0, split)) && fits(model.id, text.substring(split + 1))
                ? text
                : null;
    }

    private static boolean fits(AdminField field, String value) {
        try {
            switch (field.kind) {
                case INTEGER, REFERENCE -> Long.parseLong(value);
                case DECIMAL -> new java.math.BigDecimal(value);
                case INSTANT -> {
                    if (java.time.Instant.parse(value).isAfter(java.time.Instant.parse("9999-12-31T23:59:59Z"))) {
                        return false;
                    }
                }
                case UUID -> java.util.UUID.fromString(value);
                case BOOLEAN -> {
                    if (!value.equals("true") && !value.equals("false")) {
                        return false;
                    }
                }
                default -> {}
            }
            return true;
        } catch (RuntimeException notOfThatType) {
            return false;
        }
    }

    private static String first(MultiValueMap<String, String> params, String name) {
        String value = params.getFirst(name);
        return value == null ? "" : value;
    }

    private static @Nullable Integer number(String value) {
        return value.matches("\\d{1,5}") ? Integer.valueOf(value) : null;
    }
}
