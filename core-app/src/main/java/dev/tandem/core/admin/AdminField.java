package dev.tandem.core.admin;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * One field of a registered entity as the admin sees it, derived from its JPA mapping: its column,
 * its kind (which picks the input, the filter and the SQL), whether it may be null or written.
 */
final class AdminField {

    enum Kind {
        TEXT,
        LONG_TEXT,
        INTEGER,
        DECIMAL,
        BOOLEAN,
        ENUM,
        INSTANT,
        UUID,
        JSON,
        /** A many-to-one reference: the column holds the target's id. */
        REFERENCE,
        /** A set of references (many-to-many) or of values from a fixed list (element collection). */
        MANY,
        /** A read-only array column. */
        ARRAY
    }

    /** A value an enum (or a choice list) may take: as stored in the database, and as shown. */
    record Choice(String value, String label, @Nullable Object constant) {}

    static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

    final String name;
    final String label;
    final @Nullable String column;
    final Kind kind;
    final java.lang.reflect.Field member;
    final boolean nullable;
    final boolean id;
    final boolean version;
    final boolean readOnly;
    final @Nullable Integer maxLength;
    final List<Choice> choices;
    /** For references: the target entity. */
    final @Nullable Class<?> target;

    AdminField(
            String name,
            @Nullable String column,
            Kind kind,
            java.lang.reflect.Field member,
            boolean nullable,
            boolean id,
            boolean version,
            boolean readOnly,
            @Nullable Integer maxLength,
            List<Choice> choices,
            @Nullable Class<?> target) {
        this.name = name;
        this.label = label(name);
        this.column = column;
        this.kind = kind;
        this.member = member;
        this.nullable = nullable;
        this.id = id;
        this.version = version;
        this.readOnly = readOnly;
        this.maxLength = maxLength;
        this.choices = List.copyOf(choices);
        this.target = target;
    }

    /** For templates. */
    public String label() {
        return label;
    }

    /** "emailVerifiedAt" → "Email verified at". */
    static String label(String name) {
        String words = name.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    boolean inTable() {
        return column != null;
    }

    boolean sortable() {
        return inTable() && kind != Kind.JSON && kind != Kind.ARRAY && kind != Kind.LONG_TEXT;
    }

    boolean searchable() {
        return kind == Kind.TEXT || kind == Kind.LONG_TEXT || kind == Kind.UUID;
    }

    boolean filterable() {
        return kind == Kind.BOOLEAN || kind == Kind.ENUM || kind == Kind.REFERENCE || kind == Kind.INSTANT;
    }

    /**
     * The value in the one form used everywhere (list, CSV, history, the form's inputs): text for
     * text, the stored value of an enum, the id of a reference, UTC time, sorted values of a set.
     */
    String format(@Nullable Object value) {
        if (value == null) {
            return "";
        }
        return switch (value) {
            case Instant instant -> TIME.format(instant);
            case java.time.OffsetDateTime time -> TIME.format(time.toInstant());
            case java.sql.Timestamp time -> TIME.format(time.toInstant());
            case Enum<?> constant ->
                choices.stream()
                        .filter(choice -> constant.equals(choice.constant()))
                        .map(Choice::value)
                        .findFirst()
                        .orElse(constant.name());
            case Collection<?> values ->
                values.stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
            case Object[] values ->
                java.util.Arrays.stream(values).map(String::valueOf).collect(Collectors.joining(", "));
            default -> value.toString();
        };
    }

    /** Long text cut for lists and names: the first {@value #SHORT} characters. */
    static String shorten(String text) {
        return text.length() > SHORT ? text.substring(0, SHORT - 1) + "…" : text;
    }

    static final int SHORT = 80;

    /** The label of a stored enum value. */
    String choiceLabel(String value) {
        return choices.stream()
                .filter(choice -> choice.value().equals(value))
                .map(Choice::label)
                .findFirst()
                .orElse(value);
    }

    @Nullable
    Choice choice(String value) {
        return choices.stream()
                .filter(c -> Objects.equals(c.value(), value))
                .findFirst()
                .orElse(null);
    }

    @Override
    public String toString() {
        return name + " (" + kind + ")";
    }
}
