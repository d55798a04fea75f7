package dev.tandem.core.admin;

import dev.tandem.core.admin.AuditLog.Action;
import dev.tandem.core.admin.AuditLog.Change;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.OptimisticLockException;
import jakarta.persistence.PersistenceContext;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    private final FormInput input;
    private final ObjectSnapshots snapshots;

    AdminObjects(
            PlatformTransactionManager transactions,
            Validator validator,
            AuditLog audit,
            FormInput input,
            ObjectSnapshots snapshots) {
        this.transactions = new TransactionTemplate(transactions);
        this.validator = validator;
        this.audit = audit;
        this.input = input;
        this.snapshots = snapshots;
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
                    Map<String, String> values = snapshots.snapshot(model, entity);
                    Map<String, String> computed = new LinkedHashMap<>();
                    model.admin.computed.forEach(
                            c -> computed.put(c.label(), c.value().apply(entity)));
                    return new Loaded(
                            id,
                            snapshots.repr(model, entity),
                            values,
                            ObjectSnapshots.token(values),
                            computed,
                            model.writable(entity, administrator));
                }));
    }

    /** The object for a page, as {@link #load}; 404 when there is none. */
    Loaded loadOr404(AdminModel<?> model, String id, Authentication caller) {
        return load(model, id, AdminSite.administrator(caller))
                .orElseThrow(() -> new org.springframework.web.server.ResponseStatusException(
                        org.springframework.http.HttpStatus.NOT_FOUND));
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
            String id = model.id.format(snapshots.raw(model.id, entity));
            Map<String, Change> changes = ObjectSnapshots.diff(model, Map.of(), snapshots.snapshot(model, entity));
            audit.record(actor, Action.ADDED, model, id, snapshots.repr(model, entity), changes, "");
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
            Map<String, String> before = snapshots.snapshot(model, entity);
            if (!ObjectSnapshots.token(before).equals(token)) {
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
            Map<String, String> after = snapshots.snapshot(model, entity);
            Map<String, Change> changes = ObjectSnapshots.diff(model, before, after);
            if (!changes.isEmpty()) {
                audit.record(actor, Action.CHANGED, model, id, snapshots.repr(model, entity), changes, "");
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
                if (!model.editable(field, administrator) || !FormInput.drawn(field, form)) {
                    continue;
                }
                if (before != null && FormInput.submitted(field, form).equals(before.get(field.name))) {
                    continue;
                }
                try {
                    input.set(field, entity, input.parse(model, field, form));
                } catch (FormInput.InvalidInput invalid) {
                    errors.put(field.name, invalid.getMessage());
                }
            }
        }
        return errors;
    }

    // ---- delete and bulk actions

    /** Deletes the objects (their cascade is the database's) and records each; refused when one changed since {@code token}. */
    <T> Outcome delete(
            AdminModel<T> model, List<String> ids, @Nullable String token, String note, Authentication actor) {
        return write(status -> {
            List<T> found = lock(model, ids);
            if (token != null
                    && found.size() == 1
                    && !ObjectSnapshots.token(snapshots.snapshot(model, found.getFirst()))
                            .equals(token)) {
                status.setRollbackOnly();
                return new Outcome(null, Map.of(), null, true);
            }
            Optional<String> refused = refusedObjects(model, found, actor);
            if (refused.isPresent()) {
                return invalid(status, Map.of(), refused.get());
            }
            for (T entity : found) {
                String id = model.id.format(snapshots.raw(model.id, entity));
                Map<String, Change> changes = ObjectSnapshots.diff(model, snapshots.snapshot(model, entity), Map.of());
                String repr = snapshots.repr(model, entity);
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
                found.forEach(entity -> before.put(entity, snapshots.snapshot(model, entity)));
                String message = action.run().apply(found);
                entities.flush();
                for (T entity : found) {
                    Map<String, Change> changes =
                            ObjectSnapshots.diff(model, before.get(entity), snapshots.snapshot(model, entity));
                    if (!changes.isEmpty()) {
                        audit.record(
                                actor,
                                Action.CHANGED,
                                model,
                                model.id.format(snapshots.raw(model.id, entity)),
                                snapshots.repr(model, entity),
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
                .map(entity -> snapshots.repr(model, entity))
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
