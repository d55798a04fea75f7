package dev.tandem.core.admin;

import dev.tandem.core.admin.AdminField.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Builds a change form's inputs from the fields' kinds, the values to show and the errors to show beside them. */
@Component
class AdminForms {

    /** Options of a to-many field offered at once (groups); beyond this, the field is read-only text. */
    static final int MANY_OPTIONS = 200;

    record Option(String value, String label, boolean selected) {}

    /**
     * One input. {@code type}: text, textarea, number, decimal, checkbox, select, datetime, json,
     * uuid, reference (an id with a look-up list), many (checkboxes) or readonly.
     */
    record Input(
            String name,
            String label,
            String type,
            String value,
            List<Option> options,
            boolean required,
            @Nullable String error,
            @Nullable String help,
            @Nullable String link,
            @Nullable String lookup,
            @Nullable Integer maxLength) {}

    record Fieldset(String title, List<Input> inputs) {}

    private final JdbcClient jdbc;
    private final AdminSite site;

    AdminForms(JdbcClient jdbc, AdminSite site) {
        this.jdbc = jdbc;
        this.site = site;
    }

    /**
     * The form's fieldsets with {@code values} (field name to formatted value, as a snapshot or as
     * submitted), read-only where the caller may not write or the field is never written.
     */
    List<Fieldset> fieldsets(
            AdminModel<?> model,
            Map<String, String> values,
            Map<String, String> errors,
            boolean writable,
            boolean adding,
            boolean administrator) {
        List<Fieldset> sets = new ArrayList<>();
        for (ModelAdmin.Fieldset set : model.fieldsets) {
            List<Input> inputs = new ArrayList<>();
            for (AdminField field : model.fields(set.fields())) {
                if (adding && !model.editable(field)) {
                    continue;
                }
                String value = values.getOrDefault(field.name, "");
                inputs.add(input(
                        model, field, value, errors.get(field.name), writable && model.editable(field, administrator)));
            }
            sets.add(new Fieldset(set.title(), inputs));
        }
        return sets;
    }

    private Input input(AdminModel<?> model, AdminField field, String value, @Nullable String error, boolean editable) {
        AdminModel<?> target =
                field.target == null ? null : site.model(field.target).orElse(null);
        String link = null;
        String help = null;
        if (field.kind == Kind.REFERENCE && target != null && !value.isEmpty()) {
            link = "/admin/" + target.name + "/" + value;
            help = display(target, value);
        }
        if (!editable) {
            String shown = switch (field.kind) {
                case ENUM -> value.isEmpty() ? "" : field.choiceLabel(value);
                case BOOLEAN -> value.isEmpty() ? "" : Boolean.parseBoolean(value) ? "Yes" : "No";
                case REFERENCE -> help == null ? value : help + " (#" + value + ")";
                default -> value;
            };
            return new Input(
                    field.name, field.label, "readonly", shown, List.of(), false, error, null, link, null, null);
        }
        boolean text = field.kind == Kind.TEXT || field.kind == Kind.LONG_TEXT;
        boolean required = text
                ? field.member.isAnnotationPresent(jakarta.validation.constraints.NotBlank.class)
                : !field.nullable && field.kind != Kind.BOOLEAN && field.kind != Kind.MANY;
        return switch (field.kind) {
            case LONG_TEXT -> input(field, "textarea", value, List.of(), required, error, null, null, null);
            case INTEGER -> input(field, "number", value, List.of(), required, error, null, null, null);
            case DECIMAL -> input(field, "decimal", value, List.of(), required, error, null, null, null);
            case BOOLEAN ->
                field.nullable
                        ? input(
                                field,
                                "select",
                                value,
                                List.of(
                                        new Option("", "Unknown", value.isEmpty()),
                                        new Option("true", "Yes", value.equals("true")),
                                        new Option("false", "No", value.equals("false"))),
                                false,
                                error,
                                null,
                                null,
                                null)
                        : input(field, "checkbox", value, List.of(), false, error, null, null, null);
            case ENUM -> {
                List<Option> options = new ArrayList<>();
                if (field.nullable) {
                    options.add(new Option("", "—", value.isEmpty()));
                }
                field.choices.forEach(c ->
                        options.add(new Option(c.value(), c.label(), c.value().equals(value))));
                yield input(field, "select", value, options, required, error, null, null, null);
            }
            case INSTANT ->
                input(field, "datetime", value.replace(' ', 'T'), List.of(), required, error, "UTC", null, null);
            case JSON -> input(field, "json", value, List.of(), required, error, null, null, null);
            case UUID -> input(field, "uuid", value, List.of(), required, error, null, null, null);
            case REFERENCE ->
                input(
                        field,
                        "reference",
                        value,
                        List.of(),
                        required,
                        error,
                        help,
                        link,
                        target == null ? null : "/admin/" + target.name + "/lookup");
            case MANY -> {
                List<Option> options = manyOptions(field, value);
                // Past the limit not every choice is drawn, and a save would drop the others: read-only then.
                yield options.size() >= MANY_OPTIONS
                        ? new Input(
                                field.name,
                                field.label,
                                "readonly",
                                value,
                                List.of(),
                                false,
                                error,
                                null,
                                null,
                                null,
                                null)
                        : input(field, "many", value, options, false, error, null, null, null);
            }
            default -> input(field, "text", value, List.of(), required, error, null, null, null);
        };
    }

    private static Input input(
            AdminField field,
            String type,
            String value,
            List<Option> options,
            boolean required,
            @Nullable String error,
            @Nullable String help,
            @Nullable String link,
            @Nullable String lookup) {
        return new Input(
                field.name, field.label, type, value, options, required, error, help, link, lookup, field.maxLength);
    }

    private List<Option> manyOptions(AdminField field, String value) {
        List<String> selected = value.isEmpty() ? List.of() : Arrays.asList(value.split(", "));
        if (field.target == null) {
            return field.choices.stream()
                    .map(c -> new Option(c.value(), c.label(), selected.contains(c.value())))
                    .toList();
        }
        AdminModel<?> target = site.model(field.target).orElseThrow();
        return jdbc.sql("select " + target.id.column + "::text as id, " + target.display.column
                        + "::text as display from " + target.table + " order by 2 limit " + MANY_OPTIONS)
                .query((rs, n) ->
                        new Option(rs.getString("id"), rs.getString("display"), selected.contains(rs.getString("id"))))
                .list();
    }

    /** How the object with this id is named (its display field), or null when there is none. */
    @Nullable
    String display(AdminModel<?> model, String id) {
        return AdminObjects.id(model, id)
                .flatMap(key -> jdbc.sql("select " + model.display.column + "::text from " + model.table + " where "
                                + model.id.column + " = ?")
                        .param(key)
                        .query(String.class)
                        .optional())
                .orElse(null);
    }

    /** Objects whose display field or id matches {@code q}, for a reference's look-up list. */
    List<Option> lookup(AdminModel<?> model, String q, int limit) {
        String pattern = "%"
                + q.strip()
                        .toLowerCase(java.util.Locale.ROOT)
                        .replace("\\", "\\\\")
                        .replace("%", "\\%")
                        .replace("_", "\\_")
                + "%";
        // An id is matched as its own type, so the primary key's index serves it.
        java.util.Optional<Object> id = AdminObjects.id(model, q.strip());
        String byId = id.isPresent() ? " or " + model.id.column + " = ?" : "";
        List<Object> params = new ArrayList<>();
        params.add(pattern);
        id.ifPresent(params::add);
        params.add(limit);
        return jdbc.sql("select " + model.id.column + "::text as id, " + model.display.column
                        + "::text as display from " + model.table + " where lower(" + model.display.column
                        + "::text) like ?" + byId + " order by " + model.display.column + " limit ?")
                .params(params)
                .query((rs, n) -> new Option(rs.getString("id"), rs.getString("display"), false))
                .list();
    }
}
