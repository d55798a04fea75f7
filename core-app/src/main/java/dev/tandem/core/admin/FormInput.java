package dev.tandem.core.admin;

import dev.tandem.core.admin.AdminField.Kind;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.util.MultiValueMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A change form's inputs read into an entity's fields: whether the form drew a field, its submitted
 * value as a snapshot holds it (to tell a change), and the conversion by the field's kind, with the
 * message a staff member sees beside the input when it cannot be read.
 */
@Component
class FormInput {

    @PersistenceContext
    private EntityManager entities;

    private final JsonMapper json;
    private final AdminSite site;

    FormInput(JsonMapper json, AdminSite site) {
        this.json = json;
        this.site = site;
    }

    /**
     * Whether the form had an input for the field: its value was sent (browsers send every text input,
     * even empty), or, for what a browser leaves out when empty (checkboxes, a set of checkboxes), the
     * marker the form draws beside them. A field the form did not draw is left as it is.
     */
    static boolean drawn(AdminField field, MultiValueMap<String, String> form) {
        return switch (field.kind) {
            case MANY -> form.containsKey("_many_" + field.name);
            case BOOLEAN -> form.containsKey(field.name) || form.containsKey("_checkbox_" + field.name);
            default -> form.containsKey(field.name);
        };
    }

    /** The submitted value in the form a snapshot holds, to tell whether the field was changed. */
    static String submitted(AdminField field, MultiValueMap<String, String> form) {
        List<String> sent = form.getOrDefault(field.name, List.of());
        String first = sent.isEmpty() ? "" : sent.getFirst();
        return switch (field.kind) {
            case MANY -> String.join(", ", sent.stream().sorted().toList());
            case BOOLEAN -> field.nullable ? first : Boolean.toString("true".equals(first) || "on".equals(first));
            case INSTANT -> first.strip().replace('T', ' ');
            case TEXT, LONG_TEXT -> text(first);
            default -> first.strip();
        };
    }

    /** Text as stored: the line breaks browsers send (CR LF) as the LF the rest of the system writes. */
    private static String text(String submitted) {
        return submitted.replace("\r\n", "\n");
    }

    static final class InvalidInput extends Exception {
        InvalidInput(String message) {
            super(message);
        }
    }

    @Nullable
    Object parse(AdminModel<?> model, AdminField field, MultiValueMap<String, String> form) throws InvalidInput {
        List<String> values = form.getOrDefault(field.name, List.of());
        if (field.kind == Kind.MANY) {
            return values;
        }
        String text = values.isEmpty() ? "" : values.getFirst();
        if (text.indexOf('\0') >= 0) {
            throw new InvalidInput("Remove the NUL character: the database cannot store it.");
        }
        if (field.kind == Kind.TEXT || field.kind == Kind.LONG_TEXT) {
            text = text(text);
        }
        if (field.kind == Kind.BOOLEAN) {
            if (field.nullable && (text.isEmpty() || text.equals("__null"))) {
                return null;
            }
            return "true".equals(text) || "on".equals(text);
        }
        if (field.kind != Kind.TEXT && field.kind != Kind.LONG_TEXT) {
            text = text.strip();
        }
        if (text.isEmpty()) {
            if (field.kind == Kind.TEXT || field.kind == Kind.LONG_TEXT) {
                return field.nullable ? null : "";
            }
            if (field.nullable) {
                return null;
            }
            throw new InvalidInput("This field is required.");
        }
        Class<?> type = field.member.getType();
        try {
            return switch (field.kind) {
                case TEXT, LONG_TEXT -> text;
                case INTEGER -> {
                    long number = Long.parseLong(text);
                    yield type == int.class || type == Integer.class
                            ? Math.toIntExact(number)
                            : type == short.class || type == Short.class ? (short) Math.toIntExact(number) : number;
                }
                case DECIMAL -> {
                    BigDecimal number = new BigDecimal(text);
                    yield type == double.class || type == Double.class
                            ? number.doubleValue()
                            : type == float.class || type == Float.class ? number.floatValue() : number;
                }
                case ENUM -> {
                    AdminField.Choice choice = field.choice(text);
                    if (choice == null) {
                        throw new InvalidInput("Choose one of the listed values.");
                    }
                    yield choice.constant();
                }
                case INSTANT -> {
                    Instant instant = LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
                    yield type == java.time.OffsetDateTime.class ? instant.atOffset(ZoneOffset.UTC) : instant;
                }
                case UUID -> java.util.UUID.fromString(text);
                case JSON -> {
                    json.readTree(text);
                    yield text;
                }
                case REFERENCE -> reference(field, text);
                default -> throw new InvalidInput("This field cannot be edited.");
            };
        } catch (NumberFormatException | ArithmeticException e) {
            throw new InvalidInput(field.kind == Kind.INTEGER ? "Enter a whole number." : "Enter a number.");
        } catch (DateTimeParseException e) {
            throw new InvalidInput("Enter a date and time as 2026-11-26T09:30 (UTC).");
        } catch (JacksonException e) {
            throw new InvalidInput("Enter valid JSON: " + e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("Enter a valid UUID.");
        }
    }

    private Object reference(AdminField field, String text) throws InvalidInput {
        AdminModel<?> target = site.model(field.target).orElseThrow();
        Object found = AdminObjects.id(target, text)
                .map(key -> entities.find(target.admin.entity, key))
                .orElse(null);
        if (found == null) {
            throw new InvalidInput("There is no " + target.name.replace('_', ' ') + " with id " + text + ".");
        }
        return found;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    void set(AdminField field, Object entity, @Nullable Object value) throws InvalidInput {
        try {
            if (field.kind == Kind.MANY) {
                Collection collection = (Collection) field.member.get(entity);
                Set<Object> chosen = new LinkedHashSet<>();
                for (String text : (List<String>) value) {
                    if (field.target != null) {
                        chosen.add(reference(field, text));
                    } else if (field.choices.stream().anyMatch(c -> c.value().equals(text))) {
                        chosen.add(text);
                    } else {
                        throw new InvalidInput("Unknown value: " + text + ".");
                    }
                }
                collection.clear();
                collection.addAll(chosen);
                return;
            }
            field.member.set(entity, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
