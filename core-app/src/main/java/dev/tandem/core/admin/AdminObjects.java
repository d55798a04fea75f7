package dev.tandem.core.admin;

import dev.tandem.core.admin.AdminField.Kind;
import dev.tandem.core.admin.AuditLog.Action;
import dev.tandem.core.admin.AuditLog.Change;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PersistenceContext;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hibernate.exception.ConstraintViolationException;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.orm.ObjectOptimisticLockingFailureException;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.MultiValueMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and writes registered entities through JPA for the admin's forms and actions: converts
 * form input by each field's kind, validates with the entity's Bean Validation constraints and
 * the database's own, refuses stale edits, and writes the history and the event of every change in
 * the same transaction. A refused write leaves nothing behind.
 */
@Component
class AdminObjects {

    /** The outcome of a form: saved (with the object's id), or refused with messages per field or for the whole form. */
    record Outcome(
            @Nullable String id,
            Map<String, String> errors,
            @Nullable String problem,
            boolean stale) {
        static Outcome saved(String id) {
            return new Outcome(id, Map.of(), null, false);
        }

        /** A bulk action ran; {@code id} carries its message. */
        static Outcome done(String message) {
            return new Outcome(message, Map.of(), null, false);
        }

        static Outcome invalid(Map<String, String> errors, @Nullable String problem) {
            return new Outcome(null, errors, problem, false);
        }

        boolean ok() {
            return id != null;
        }
    }

    @PersistenceContext
    private EntityManager entities;

    private final TransactionTemplate transactions;
    private final Validator validator;
    private final AuditLog audit;
    private final JsonMapper json;
    private final AdminSite site;

    AdminObjects(
            PlatformTransactionManager transactions,
            Validator validator,
            AuditLog audit,
            JsonMapper json,
            AdminSite site) {
        this.transactions = new TransactionTemplate(transactions);
        this.validator = validator;
        this.audit = audit;
        this.json = json;
        this.site = site;
    }

    /** The id in a URL as the entity's id type; empty when it cannot be one. */
    static Optional<Object> id(AdminModel<?> model, String text) {
        Class<?> type = model.id.member.getType();
        try {
            if (type == Long.class || type == long.class) {
                return Optional.of(Long.valueOf(text));
            }
            if (type == Integer.class || type == int.class) {
                return Optional.of(Integer.valueOf(text));
            }
            if (type == java.util.UUID.class) {
                return Optional.of(java.util.UUID.fromString(text));
            }
            return Optional.of(text);
        } catch (IllegalArgumentException notAnId) {
            return Optional.empty();
        }
    }

    /** An object as its form shows it: each field formatted, and the token a save must bring back. */
    /**
     * An object as its form shows it: each field formatted, the token a save must bring back, the
     * computed values, and whether this caller may write it (the registration's object rule).
     */
    record Loaded(
            String id,
            String repr,
            Map<String, String> values,
            String token,
            Map<String, String> computed,
            boolean writable) {}

    <T> Optional<Loaded> load(AdminModel<T> model, String id, boolean administrator) {
        return transactions.execute(status -> id(model, id)
                .map(key -> entities.find(model.admin.entity, key))
                .map(entity -> {
                    Map<String, String> values = snapshot(model, entity);
                    Map<String, String> computed = new LinkedHashMap<>();
                    model.admin.computed.forEach(
                            c -> computed.put(c.label(), c.value().apply(entity)));
                    return new Loaded(
                            id,
                            repr(model, entity),
                            values,
                            token(values),
                            computed,
                            model.writable(entity, administrator));
                }));
    }

    /** Each shown field's value, formatted as everywhere else in the admin. */
    Map<String, String> snapshot(AdminModel<?> model, Object entity) {
        Map<String, String> values = new LinkedHashMap<>();
        for (AdminField field : model.fields.values()) {
            values.put(field.name, field.format(raw(field, entity)));
        }
        return values;
    }

    /** A field's value with references as their ids (so a snapshot loads nothing more than the ids). */
    @Nullable
    Object raw(AdminField field, Object entity) {
        Object value = get(field, entity);
        if (value == null) {
            return null;
        }
        if (field.kind == Kind.REFERENCE) {
            return entities.getEntityManagerFactory().getPersistenceUnitUtil().getIdentifier(value);
        }
        if (field.kind == Kind.MANY && field.target != null) {
            List<String> ids = new ArrayList<>();
            for (Object element : (Collection<?>) value) {
                ids.add(String.valueOf(entities.getEntityManagerFactory()
                        .getPersistenceUnitUtil()
                        .getIdentifier(element)));
            }
            return ids;
        }
        return value;
    }

    static @Nullable Object get(AdminField field, Object entity) {
        try {
            return field.member.get(entity);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fingerprint of what the form was built from: a save whose fingerprint no longer matches is stale. */
    static String token(Map<String, String> snapshot) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            snapshot.forEach((name, value) -> {
                sha.update(name.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(value.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            });
            return HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The history's diff: every shown field but the version, which changes with every write. */
    private static Map<String, Change> diff(
            AdminModel<?> model, Map<String, String> before, Map<String, String> after) {
        Map<String, Change> changes = AuditLog.diff(before, after);
        model.fields.values().stream().filter(field -> field.version).forEach(field -> changes.remove(field.name));
        return changes;
    }

    String repr(AdminModel<?> model, Object entity) {
        String display = AdminField.shorten(model.display.format(raw(model.display, entity)));
        String id = model.id.format(raw(model.id, entity));
        return display.equals(id) ? model.label + " #" + id : display;
    }

    // ---- add and change

    <T> Outcome add(AdminModel<T> model, MultiValueMap<String, String> form, Authentication actor) {
        return write(status -> {
            T entity = instantiate(model);
            Map<String, String> errors = apply(model, entity, form, null, AdminSite.administrator(actor));
            if (!errors.isEmpty()) {
                return invalid(status, errors, null);
            }
            errors = validate(entity);
            if (!errors.isEmpty()) {
                return invalid(status, errors, null);
            }
            entities.persist(entity);
            entities.flush();
            String id = model.id.format(raw(model.id, entity));
            Map<String, Change> changes = diff(model, Map.of(), snapshot(model, entity));
            audit.record(actor, Action.ADDED, model, id, repr(model, entity), changes, "");
            return Outcome.saved(id);
        });
    }

    /** Saves the form over the object, unless it changed since {@code token} was handed out (stale: nothing is written). */
    <T> Outcome change(
            AdminModel<T> model, String id, String token, MultiValueMap<String, String> form, Authentication actor) {
        return write(status -> {
            T entity = id(model, id)
                    .map(key -> entities.find(model.admin.entity, key, LockModeType.PESSIMISTIC_WRITE))
                    .orElse(null);
            if (entity == null) {
                status.setRollbackOnly();
                return Outcome.invalid(Map.of(), "This " + model.name + " no longer exists: someone deleted it.");
            }
            Map<String, String> before = snapshot(model, entity);
            if (!token(before).equals(token)) {
                status.setRollbackOnly();
                return new Outcome(null, Map.of(), null, true);
            }
            boolean administrator = AdminSite.administrator(actor);
            if (!model.writable(entity, administrator)) {
                return invalid(status, Map.of(), onlyAdministrators(model));
            }
            Map<String, String> errors = apply(model, entity, form, before, administrator);
            if (errors.isEmpty()) {
                errors = validate(entity);
            }
            if (!errors.isEmpty()) {
                return invalid(status, errors, null);
            }
            entities.flush();
            Map<String, String> after = snapshot(model, entity);
            Map<String, Change> changes = diff(model, before, after);
            if (!changes.isEmpty()) {
                audit.record(actor, Action.CHANGED, model, id, repr(model, entity), changes, "");
                model.admin.afterChange.accept(entity, changes.keySet());
            }
            return Outcome.saved(id);
        });
    }

    private Outcome write(TransactionCallback callback) {
        try {
            return transactions.execute(callback::run);
        } catch (DataIntegrityViolationException | ConstraintViolationException refused) {
            return Outcome.invalid(Map.of(), "The database refused this change: " + constraint(refused) + ".");
        } catch (jakarta.validation.ConstraintViolationException invalid) {
            // Hibernate validates again before it writes: a row that was already invalid (written outside the admin).
            return Outcome.invalid(
                    Map.of(),
                    "Not saved: "
                            + invalid.getConstraintViolations().stream()
                                    .map(v -> v.getPropertyPath() + " " + v.getMessage())
                                    .sorted()
                                    .collect(java.util.stream.Collectors.joining("; "))
                            + ".");
        } catch (org.hibernate.exception.DataException unreadable) {
            return Outcome.invalid(
                    Map.of(),
                    "The database could not store a value as given: "
                            + unreadable.getSQLException().getMessage());
        } catch (ObjectOptimisticLockingFailureException | OptimisticLockException raced) {
            return new Outcome(null, Map.of(), null, true);
        }
    }

    @FunctionalInterface
    private interface TransactionCallback {
        Outcome run(TransactionStatus status);
    }

    private static Outcome invalid(TransactionStatus status, Map<String, String> errors, @Nullable String problem) {
        status.setRollbackOnly();
        return Outcome.invalid(errors, problem);
    }

    /** The name of the constraint a write broke, as PostgreSQL reported it. */
    private static String constraint(RuntimeException refused) {
        for (Throwable cause = refused; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConstraintViolationException violation && violation.getConstraintName() != null) {
                return violation.getConstraintName();
            }
        }
        return "a constraint";
    }

    private static <T> T instantiate(AdminModel<T> model) {
        try {
            var constructor = model.admin.entity.getDeclaredConstructor();
            constructor.setAccessible(true);
            return constructor.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(model.admin.entity + " needs a no-argument constructor", e);
        }
    }

    private Map<String, String> validate(Object entity) {
        Map<String, String> errors = new LinkedHashMap<>();
        for (ConstraintViolation<Object> violation : validator.validate(entity)) {
            errors.putIfAbsent(violation.getPropertyPath().toString(), violation.getMessage());
        }
        return errors;
    }

    static String onlyAdministrators(AdminModel<?> model) {
        return "Only an administrator may change this " + model.singular() + ".";
    }

    /**
     * Sets each field of the form's fieldsets that this caller may write and whose submitted value
     * differs from {@code before} (the snapshot the form was built from; null when adding), so an
     * unchanged field is never rewritten (no second-cut timestamps, no line-ending churn), nor a field
     * the form did not draw. Returns the inputs it could not read.
     */
    private Map<String, String> apply(
            AdminModel<?> model,
            Object entity,
            MultiValueMap<String, String> form,
            @Nullable Map<String, String> before,
            boolean administrator) {
        Map<String, String> errors = new LinkedHashMap<>();
        for (ModelAdmin.Fieldset set : model.fieldsets) {
            for (AdminField field : model.fields(set.fields())) {
                if (!model.editable(field, administrator) || !drawn(field, form)) {
                    continue;
                }
                if (before != null && submitted(field, form).equals(before.get(field.name))) {
                    continue;
                }
                try {
                    set(field, entity, parse(model, field, form));
                } catch (InvalidInput invalid) {
                    errors.put(field.name, invalid.getMessage());
                }
            }
        }
        return errors;
    }

    /**
     * Whether the form had an input for the field: its value was sent (browsers send every text input,
     * even empty), or, for what a browser leaves out when empty (checkboxes, a set of checkboxes), the
     * marker the form draws beside them. A field the form did not draw is left as it is.
     */
    private static boolean drawn(AdminField field, MultiValueMap<String, String> form) {
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

    private @Nullable Object parse(AdminModel<?> model, AdminField field, MultiValueMap<String, String> form)
            throws InvalidInput {
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
        Object found = id(target, text)
                .map(key -> entities.find(target.admin.entity, key))
                .orElse(null);
        if (found == null) {
            throw new InvalidInput("There is no " + target.name.replace('_', ' ') + " with id " + text + ".");
        }
        return found;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void set(AdminField field, Object entity, @Nullable Object value) throws InvalidInput {
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

    // ---- delete and bulk actions

    /** Deletes the objects (their cascade is the database's) and records each; refused when one changed since {@code token}. */
    <T> Outcome delete(
            AdminModel<T> model, List<String> ids, @Nullable String token, String note, Authentication actor) {
        return write(status -> {
            List<T> found = lock(model, ids);
            if (token != null
                    && found.size() == 1
                    && !token(snapshot(model, found.getFirst())).equals(token)) {
                status.setRollbackOnly();
                return new Outcome(null, Map.of(), null, true);
            }
            Optional<String> refused = refusedObjects(model, found, actor);
            if (refused.isPresent()) {
                return invalid(status, Map.of(), refused.get());
            }
            for (T entity : found) {
                String id = model.id.format(raw(model.id, entity));
                Map<String, Change> changes = diff(model, snapshot(model, entity), Map.of());
                String repr = repr(model, entity);
                entities.remove(entity);
                entities.flush();
                audit.record(actor, Action.DELETED, model, id, repr, changes, note);
            }
            return Outcome.saved(Integer.toString(found.size()));
        });
    }

    /** Runs a bulk action on the selected objects, recording each object it changed. */
    <T> Outcome run(AdminModel<T> model, AdminAction<T> action, List<String> ids, Authentication actor) {
        try {
            return write(status -> {
                List<T> found = lock(model, ids);
                Optional<String> refused = refusedObjects(model, found, actor);
                if (refused.isPresent()) {
                    return invalid(status, Map.of(), refused.get());
                }
                Map<Object, Map<String, String>> before = new LinkedHashMap<>();
                found.forEach(entity -> before.put(entity, snapshot(model, entity)));
                String message = action.run().apply(found);
                entities.flush();
                for (T entity : found) {
                    Map<String, Change> changes = diff(model, before.get(entity), snapshot(model, entity));
                    if (!changes.isEmpty()) {
                        audit.record(
                                actor,
                                Action.CHANGED,
                                model,
                                model.id.format(raw(model.id, entity)),
                                repr(model, entity),
                                changes,
                                "Action: " + action.label());
                        model.admin.afterChange.accept(entity, changes.keySet());
                    }
                }
                return Outcome.done(message);
            });
        } catch (AdminAction.AdminActionRefused refused) {
            return Outcome.invalid(Map.of(), refused.getMessage());
        }
    }

    /** The refusal when the caller may not write some of these objects (the registration's object rule); nothing is written then. */
    private <T> Optional<String> refusedObjects(AdminModel<T> model, List<T> objects, Authentication actor) {
        boolean administrator = AdminSite.administrator(actor);
        List<String> refused = objects.stream()
                .filter(entity -> !model.writable(entity, administrator))
                .map(entity -> repr(model, entity))
                .toList();
        return refused.isEmpty()
                ? Optional.empty()
                : Optional.of("Only an administrator may change or delete " + String.join(", ", refused)
                        + "; nothing was changed.");
    }

    private <T> List<T> lock(AdminModel<T> model, List<String> ids) {
        List<T> found = new ArrayList<>();
        for (String id : ids) {
            id(model, id)
                    .map(key -> entities.find(model.admin.entity, key, LockModeType.PESSIMISTIC_WRITE))
                    .ifPresent(found::add);
        }
        return found;
    }
}
