package dev.tandem.core.admin;

import dev.tandem.core.admin.AdminField.Choice;
import dev.tandem.core.admin.AdminField.Kind;
import dev.tandem.core.admin.ModelAdmin.Operation;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import jakarta.persistence.metamodel.Attribute;
import jakarta.persistence.metamodel.EntityType;
import jakarta.persistence.metamodel.Metamodel;
import jakarta.persistence.metamodel.PluralAttribute;
import jakarta.persistence.metamodel.SingularAttribute;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.lang.reflect.Field;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.jspecify.annotations.Nullable;

/**
 * A registration resolved against the JPA metamodel: the table, the fields with their columns and
 * kinds, and the defaults the registration left out. Built once at start; a registration naming a
 * field that does not exist fails the start.
 */
final class AdminModel<T> {

    final ModelAdmin<T> admin;
    final String name;
    final String label;
    final String table;
    final AdminField id;
    final Map<String, AdminField> fields;
    final List<AdminField> list;
    final List<AdminField> search;
    final List<AdminField> filters;
    final @Nullable AdminField dateHierarchy;
    final AdminField display;
    /** The default order: the field and whether it is descending. */
    final AdminField orderBy;

    final boolean descending;
    final List<ModelAdmin.Fieldset> fieldsets;

    AdminModel(ModelAdmin<T> admin, Metamodel metamodel) {
        this.admin = admin;
        this.name = admin.name;
        this.label = admin.label;
        EntityType<T> type = metamodel.entity(admin.entity);
        Table tableAnnotation = admin.entity.getAnnotation(Table.class);
        this.table = tableAnnotation != null && !tableAnnotation.name().isEmpty()
                ? tableAnnotation.name()
                : ModelAdmin.snakeCase(admin.entity.getSimpleName());
        Map<String, AdminField> derived = new LinkedHashMap<>();
        for (Field member : declaredFields(admin.entity)) {
            Attribute<? super T, ?> attribute = attribute(type, member.getName());
            if (attribute == null || admin.exclude.contains(member.getName())) {
                continue;
            }
            derived.put(member.getName(), field(attribute, member));
        }
        this.fields = derived;
        this.id = derived.values().stream()
                .filter(f -> f.id)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(name + ": the admin needs a single-column id"));
        this.list = admin.list.isEmpty()
                ? derived.values().stream()
                        .filter(f -> f.inTable() && f.kind != Kind.LONG_TEXT && f.kind != Kind.JSON)
                        .limit(8)
                        .toList()
                : fields(admin.list);
        this.search = admin.search.isEmpty()
                ? derived.values().stream()
                        .filter(f -> f.inTable() && f.searchable())
                        .toList()
                : fields(admin.search);
        this.filters = admin.filters.isEmpty()
                ? derived.values().stream()
                        .filter(f -> f.inTable() && f.filterable() && f.kind != Kind.INSTANT)
                        .toList()
                : fields(admin.filters);
        this.dateHierarchy = admin.dateHierarchy != null
                ? field(admin.dateHierarchy)
                : derived.get("createdAt") != null && derived.get("createdAt").kind == Kind.INSTANT
                        ? derived.get("createdAt")
                        : null;
        String displayName = admin.display != null
                ? admin.display
                : Stream.of("email", "name", "title", "fileName")
                        .filter(derived::containsKey)
                        .findFirst()
                        .orElse(id.name);
        this.display = field(displayName);
        String order = admin.ordering.isEmpty()
                ? (derived.containsKey("createdAt") ? "-createdAt" : "-" + id.name)
                : admin.ordering.getFirst();
        this.descending = order.startsWith("-");
        this.orderBy = field(order.replaceFirst("^-", ""));
        this.fieldsets = admin.fieldsets.isEmpty()
                ? List.of(new ModelAdmin.Fieldset(
                        "", derived.values().stream().map(f -> f.name).toList()))
                : admin.fieldsets;
        this.fieldsets.forEach(set -> fields(set.fields()));
    }

    /** For templates: the name in URLs and permissions. */
    public String name() {
        return name;
    }

    /** For templates: the plural shown in titles. */
    public String label() {
        return label;
    }

    /** For templates: the singular, lower case ("api key"). */
    public String singular() {
        return name.replace('_', ' ');
    }

    boolean offers(Operation operation) {
        return admin.operations.contains(operation);
    }

    AdminField field(String name) {
        AdminField field = fields.get(name);
        if (field == null) {
            throw new IllegalStateException(this.name + " has no field " + name + " (fields: " + fields.keySet() + ")");
        }
        return field;
    }

    List<AdminField> fields(List<String> names) {
        return names.stream().map(this::field).toList();
    }

    /** Fields the form writes. */
    boolean editable(AdminField field) {
        return !field.readOnly
                && !field.id
                && !field.version
                && !admin.readOnly.contains(field.name)
                && field.kind != Kind.ARRAY;
    }

    /** Fields this caller's form writes: administrators' fields only for administrators. */
    boolean editable(AdminField field, boolean administrator) {
        return editable(field) && (administrator || !admin.administratorFields.contains(field.name));
    }

    /** Whether the caller may change, delete or act on this object (the registration's object rule). */
    @SuppressWarnings("unchecked")
    boolean writable(Object object, boolean administrator) {
        return admin.writable.allows(administrator, (T) object);
    }

    private static List<Field> declaredFields(Class<?> type) {
        List<Field> fields = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            fields.addAll(0, List.of(c.getDeclaredFields()));
        }
        return fields.stream()
                .filter(f -> !java.lang.reflect.Modifier.isStatic(f.getModifiers()))
                .toList();
    }

    private static <T> @Nullable Attribute<? super T, ?> attribute(EntityType<T> type, String name) {
        try {
            return type.getAttribute(name);
        } catch (IllegalArgumentException notMapped) {
            return null;
        }
    }

    private AdminField field(Attribute<? super T, ?> attribute, Field member) {
        member.setAccessible(true);
        Column column = member.getAnnotation(Column.class);
        String columnName =
                column != null && !column.name().isEmpty() ? column.name() : ModelAdmin.snakeCase(member.getName());
        boolean nullable = !member.getType().isPrimitive()
                && (column == null || column.nullable())
                && member.getAnnotation(NotNull.class) == null
                && member.getAnnotation(NotBlank.class) == null;
        boolean generated = member.getAnnotation(org.hibernate.annotations.Generated.class) != null
                || (column != null && !column.insertable() && !column.updatable());
        Size size = member.getAnnotation(Size.class);
        Integer maxLength = size != null && size.max() < Integer.MAX_VALUE ? size.max() : null;
        if (attribute instanceof PluralAttribute<?, ?, ?> plural) {
            Class<?> element = plural.getElementType().getJavaType();
            boolean entity = plural.getPersistentAttributeType() == Attribute.PersistentAttributeType.MANY_TO_MANY;
            List<Choice> choices = entity
                    ? List.of()
                    : admin.choices.getOrDefault(member.getName(), List::of).get().stream()
                            .map(value -> new Choice(value, value, null))
                            .toList();
            return new AdminField(
                    member.getName(),
                    null,
                    Kind.MANY,
                    member,
                    true,
                    false,
                    false,
                    false,
                    null,
                    choices,
                    entity ? element : null);
        }
        SingularAttribute<?, ?> singular = (SingularAttribute<?, ?>) attribute;
        Class<?> type = member.getType();
        if (singular.getPersistentAttributeType() == Attribute.PersistentAttributeType.MANY_TO_ONE
                || singular.getPersistentAttributeType() == Attribute.PersistentAttributeType.ONE_TO_ONE) {
            JoinColumn join = member.getAnnotation(JoinColumn.class);
            String joinColumn = join != null && !join.name().isEmpty() ? join.name() : columnName + "_id";
            return new AdminField(
                    member.getName(),
                    joinColumn,
                    Kind.REFERENCE,
                    member,
                    singular.isOptional() && (join == null || join.nullable()),
                    false,
                    false,
                    join != null && !join.updatable(),
                    null,
                    List.of(),
                    type);
        }
        Kind kind = kind(member, type, maxLength);
        List<Choice> choices = kind == Kind.ENUM ? choices(member, type) : List.of();
        return new AdminField(
                member.getName(),
                columnName,
                kind,
                member,
                nullable && !singular.isId(),
                singular.isId(),
                singular.isVersion(),
                generated || (column != null && !column.updatable()),
                maxLength,
                choices,
                null);
    }

    private static Kind kind(Field member, Class<?> type, @Nullable Integer maxLength) {
        JdbcTypeCode code = member.getAnnotation(JdbcTypeCode.class);
        if (code != null && code.value() == SqlTypes.JSON) {
            return Kind.JSON;
        }
        if (type.isArray() && type != byte[].class) {
            return Kind.ARRAY;
        }
        if (type == String.class) {
            return maxLength != null && maxLength > 300 ? Kind.LONG_TEXT : Kind.TEXT;
        }
        if (type == boolean.class || type == Boolean.class) {
            return Kind.BOOLEAN;
        }
        if (type == long.class
                || type == Long.class
                || type == int.class
                || type == Integer.class
                || type == short.class
                || type == Short.class) {
            return Kind.INTEGER;
        }
        if (type == double.class
                || type == Double.class
                || type == float.class
                || type == Float.class
                || type == BigDecimal.class) {
            return Kind.DECIMAL;
        }
        if (type == Instant.class || type == OffsetDateTime.class) {
            return Kind.INSTANT;
        }
        if (type == java.util.UUID.class) {
            return Kind.UUID;
        }
        if (type.isEnum()) {
            return Kind.ENUM;
        }
        throw new IllegalStateException("the admin cannot show " + member + ": exclude it or give it a supported type");
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List<Choice> choices(Field member, Class<?> type) {
        Convert convert = member.getAnnotation(Convert.class);
        AttributeConverter converter = null;
        if (convert != null && convert.converter() != AttributeConverter.class) {
            try {
                var constructor = convert.converter().getDeclaredConstructor();
                constructor.setAccessible(true);
                converter = (AttributeConverter) constructor.newInstance();
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot create " + convert.converter(), e);
            }
        }
        Enumerated enumerated = member.getAnnotation(Enumerated.class);
        boolean ordinal = converter == null && (enumerated == null || enumerated.value() == EnumType.ORDINAL);
        List<Choice> choices = new ArrayList<>();
        for (Object constant : type.getEnumConstants()) {
            Enum<?> e = (Enum<?>) constant;
            String stored = converter != null
                    ? String.valueOf(converter.convertToDatabaseColumn(constant))
                    : ordinal ? Integer.toString(e.ordinal()) : e.name();
            choices.add(new Choice(stored, AdminField.label(e.name().toLowerCase(java.util.Locale.ROOT)), constant));
        }
        return choices;
    }
}
