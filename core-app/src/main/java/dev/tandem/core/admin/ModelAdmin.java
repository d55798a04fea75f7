package dev.tandem.core.admin;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * How one entity appears in the staff admin, like Django's {@code ModelAdmin}: declare a bean of
 * this type and the entity gets a change list, change form, delete page and history. Everything
 * left out is derived from the JPA mapping: every column is listed, searched (text) or filtered
 * (booleans, enums, foreign keys, dates) by its type, and ordering is newest first when there is
 * a {@code createdAt}.
 *
 * <pre>{@code
 * @Bean
 * ModelAdmin<Group> groupAdmin() {
 *     return ModelAdmin.of(Group.class).list("name", "description").search("name").build();
 * }
 * }</pre>
 *
 * @param <T> the JPA entity
 */
public final class ModelAdmin<T> {

    /** What a staff member may do with an entity; a permission is {@code <name>.<operation>}. */
    public enum Operation {
        VIEW,
        ADD,
        CHANGE,
        DELETE;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A named group of fields on the change form. */
    public record Fieldset(String title, List<String> fields) {}

    /** A value the change form shows that is no column: worked out from the loaded object (inside its transaction). */
    public record Computed<T>(String label, Function<T, String> value) {}

    /**
     * Whether a caller may change, delete or act on one object, beyond the entity permission (Django's
     * {@code has_change_permission(request, obj)}): e.g. only administrators may touch staff accounts.
     */
    @FunctionalInterface
    public interface ObjectRule<T> {
        boolean allows(boolean callerIsAdministrator, T object);
    }

    /** Rows of another admin shown inside this one's form (comments inside a post), by the child's reference to this entity. */
    public record Inline(Class<?> child, String reference) {}

    final Class<T> entity;
    final String name;
    final String label;
    final List<String> list;
    final List<String> search;
    final List<String> filters;
    final @Nullable String dateHierarchy;
    final List<String> ordering;
    final Set<String> readOnly;
    final Set<String> exclude;
    final List<Fieldset> fieldsets;
    final List<Inline> inlines;
    final List<AdminAction<T>> actions;
    final List<Computed<T>> computed;
    final Set<String> administratorFields;
    final boolean administratorWrites;
    final ObjectRule<T> writable;
    final BiConsumer<T, Set<String>> afterChange;
    final Set<Operation> operations;
    final @Nullable String display;
    final Map<String, Supplier<List<String>>> choices;
    final int perPage;

    private ModelAdmin(Builder<T> builder) {
        this.entity = builder.entity;
        this.name = builder.name;
        this.label = builder.label;
        this.list = List.copyOf(builder.list);
        this.search = List.copyOf(builder.search);
        this.filters = List.copyOf(builder.filters);
        this.dateHierarchy = builder.dateHierarchy;
        this.ordering = List.copyOf(builder.ordering);
        this.readOnly = Set.copyOf(builder.readOnly);
        this.exclude = Set.copyOf(builder.exclude);
        this.fieldsets = List.copyOf(builder.fieldsets);
        this.inlines = List.copyOf(builder.inlines);
        this.actions = List.copyOf(builder.actions);
        this.computed = List.copyOf(builder.computed);
        this.administratorFields = Set.copyOf(builder.administratorFields);
        this.administratorWrites = builder.administratorWrites;
        this.writable = builder.writable;
        this.afterChange = builder.afterChange;
        this.operations = Set.copyOf(builder.operations);
        this.display = builder.display;
        this.choices = Map.copyOf(builder.choices);
        this.perPage = builder.perPage;
    }

    /** Starts the registration of {@code entity}; {@code build()} alone gives the derived defaults. */
    public static <T> Builder<T> of(Class<T> entity) {
        return new Builder<>(entity);
    }

    public String name() {
        return name;
    }

    public Class<T> entity() {
        return entity;
    }

    /** The permissions this registration can be granted: {@code <name>.<operation>} for each operation it offers. */
    public List<String> permissions() {
        return operations.stream()
                .sorted()
                .map(operation -> name + "." + operation.code())
                .toList();
    }

    /** Registration of one entity; every method is optional. Field names are the entity's Java field names. */
    public static final class Builder<T> {

        private final Class<T> entity;
        private String name;
        private String label;
        private List<String> list = List.of();
        private List<String> search = List.of();
        private List<String> filters = List.of();
        private @Nullable String dateHierarchy;
        private List<String> ordering = List.of();
        private final Set<String> readOnly = new LinkedHashSet<>();
        private final Set<String> exclude = new LinkedHashSet<>();
        private final List<Fieldset> fieldsets = new ArrayList<>();
        private final List<Inline> inlines = new ArrayList<>();
        private final List<AdminAction<T>> actions = new ArrayList<>();
        private final List<Computed<T>> computed = new ArrayList<>();
        private final Set<String> administratorFields = new LinkedHashSet<>();
        private boolean administratorWrites;
        private ObjectRule<T> writable = (administrator, object) -> true;
        private BiConsumer<T, Set<String>> afterChange = (object, fields) -> {};
        private final Set<Operation> operations = EnumSet.allOf(Operation.class);
        private @Nullable String display;
        private final Map<String, Supplier<List<String>>> choices = new LinkedHashMap<>();
        private int perPage = 50;

        private Builder(Class<T> entity) {
            this.entity = entity;
            this.name = snakeCase(entity.getSimpleName());
            this.label = plural(entity.getSimpleName().replaceAll("([a-z])([A-Z])", "$1 $2"));
        }

        /** The name in URLs, permissions ({@code <name>.view}) and the history; default: the entity's name in snake case. */
        public Builder<T> named(String name) {
            this.name = name;
            return this;
        }

        /** The plural shown in menus and titles; default: the entity's name plus "s". */
        public Builder<T> label(String label) {
            this.label = label;
            return this;
        }

        /** Columns of the change list; default: the first eight fields. */
        public Builder<T> list(String... fields) {
            this.list = Arrays.asList(fields);
            return this;
        }

        /** Fields the search box looks in (case-insensitive, contains); a number also finds the id. Default: text fields. */
        public Builder<T> search(String... fields) {
            this.search = Arrays.asList(fields);
            return this;
        }

        /** Sidebar filters; default: the booleans, enums and foreign keys. */
        public Builder<T> filters(String... fields) {
            this.filters = Arrays.asList(fields);
            return this;
        }

        /** A date field to drill down by year, month and day above the list; default: {@code createdAt} if present. */
        public Builder<T> dateHierarchy(String field) {
            this.dateHierarchy = field;
            return this;
        }

        /** Default order, {@code "-createdAt"} for descending; the id always breaks ties. */
        public Builder<T> ordering(String... fields) {
            this.ordering = Arrays.asList(fields);
            return this;
        }

        /** Fields shown on the form but never written by it (the id and the version always are). */
        public Builder<T> readOnly(String... fields) {
            this.readOnly.addAll(Arrays.asList(fields));
            return this;
        }

        /** Fields the admin never shows, exports or writes (secrets, hashes). */
        public Builder<T> exclude(String... fields) {
            this.exclude.addAll(Arrays.asList(fields));
            return this;
        }

        public Builder<T> fieldset(String title, String... fields) {
            this.fieldsets.add(new Fieldset(title, Arrays.asList(fields)));
            return this;
        }

        /** Shows {@code child} rows whose {@code reference} points at this object, inside its form. */
        public Builder<T> inline(Class<?> child, String reference) {
            this.inlines.add(new Inline(child, reference));
            return this;
        }

        /** A bulk action on the selected rows, behind a confirmation page. "Delete selected" is always there. */
        public Builder<T> action(AdminAction<T> action) {
            this.actions.add(action);
            return this;
        }

        /** A read-only value on the change form that is worked out from the object (its comment count, its permissions). */
        public Builder<T> computed(String label, Function<T, String> value) {
            this.computed.add(new Computed<>(label, value));
            return this;
        }

        /** Fields only administrators (role {@code ADMIN}) may write; staff see them read-only. */
        public Builder<T> administratorFields(String... fields) {
            this.administratorFields.addAll(Arrays.asList(fields));
            return this;
        }

        /** Only administrators may add, change or delete these (groups: else staff could grant themselves anything). */
        public Builder<T> administratorWrites() {
            this.administratorWrites = true;
            return this;
        }

        /** Which objects a caller may change, delete or act on; the others are read-only to them. */
        public Builder<T> writableWhen(ObjectRule<T> rule) {
            this.writable = rule;
            return this;
        }

        /** Runs in the transaction of each change made through the form or an action, with the names of the changed fields. */
        public Builder<T> afterChange(BiConsumer<T, Set<String>> hook) {
            this.afterChange = hook;
            return this;
        }

        /** Limits what the admin offers at all, whoever asks (a log is view-only); permissions narrow it further. */
        public Builder<T> only(Operation... operations) {
            this.operations.clear();
            this.operations.addAll(Arrays.asList(operations));
            return this;
        }

        /** The field that names an object in lists, pickers and history; default: email, name or title, else the id. */
        public Builder<T> display(String field) {
            this.display = field;
            return this;
        }

        /** The allowed values of a text collection (a group's permissions), shown as checkboxes. */
        public Builder<T> choices(String field, Supplier<List<String>> values) {
            this.choices.put(field, values);
            return this;
        }

        public Builder<T> perPage(int perPage) {
            this.perPage = perPage;
            return this;
        }

        public ModelAdmin<T> build() {
            return new ModelAdmin<>(this);
        }
    }

    static String snakeCase(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    private static String plural(String words) {
        return words.endsWith("y") ? words.substring(0, words.length() - 1) + "ies" : words + "s";
    }
}
