package dev.tandem.core.admin;

import dev.tandem.core.admin.AdminObjects.Outcome;
import dev.tandem.core.admin.ModelAdmin.Operation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The admin's pages for every registered entity. Each handler checks the caller's permission for
 * what it does before doing anything (the menu only mirrors these checks): view for lists, forms,
 * history and export; add, change and delete for the writes.
 */
@Controller
class AdminController {

    /** Entries of "recent actions" on the home page, and of an object's history. */
    static final int RECENT = 15;

    static final int HISTORY = 200;

    private final AdminSite site;
    private final ChangeLists lists;
    private final AdminObjects objects;
    private final AdminForms forms;
    private final AuditLog audit;
    private final CsvExport csv;

    AdminController(
            AdminSite site, ChangeLists lists, AdminObjects objects, AdminForms forms, AuditLog audit, CsvExport csv) {
        this.site = site;
        this.lists = lists;
        this.objects = objects;
        this.forms = forms;
        this.audit = audit;
        this.csv = csv;
    }

    @GetMapping("/admin")
    String home(Authentication caller, Model model) {
        List<String> visible = site.models().stream()
                .filter(m -> AdminSite.can(caller, m, Operation.VIEW))
                .map(m -> m.name)
                .toList();
        model.addAttribute("recent", audit.recent(visible, RECENT));
        return "admin/home";
    }

    // ---- change list, export, look-up

    @GetMapping("/admin/{name}")
    String list(
            @PathVariable String name,
            @RequestParam MultiValueMap<String, String> params,
            Authentication caller,
            Model model) {
        AdminModel<?> admin = require(name, caller, Operation.VIEW);
        ListRequest request = new ListRequest(admin, params);
        model.addAttribute("admin", admin);
        model.addAttribute("search", request.search);
        model.addAttribute("filtered", request.filtered());
        model.addAttribute("list", lists.view(request));
        model.addAttribute("actions", AdminDeletesAndActions.actions(admin, caller));
        model.addAttribute("exportUrl", request.exportUrl());
        model.addAttribute("state", request.state());
        model.addAttribute("canAdd", AdminSite.can(caller, admin, Operation.ADD));
        return "admin/list";
    }

    @GetMapping("/admin/{name}/export.csv")
    ResponseEntity<StreamingResponseBody> export(
            @PathVariable String name, @RequestParam MultiValueMap<String, String> params, Authentication caller) {
        AdminModel<?> admin = require(name, caller, Operation.VIEW);
        ListRequest request = new ListRequest(admin, params);
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + name + ".csv\"")
                .body(out -> csv.write(request, out));
    }

    @GetMapping("/admin/{name}/lookup")
    String lookup(
            @PathVariable String name, @RequestParam(defaultValue = "") String q, Authentication caller, Model model) {
        AdminModel<?> admin = require(name, caller, Operation.VIEW);
        String words = q.replace("\0", "");
        model.addAttribute("options", words.isBlank() ? List.of() : forms.lookup(admin, words, 20));
        return "admin/lookup :: options";
    }

    // ---- add and change

    @GetMapping("/admin/{name}/add")
    String addForm(
            @PathVariable String name, @RequestParam Map<String, String> initial, Authentication caller, Model model) {
        AdminModel<?> admin = require(name, caller, Operation.ADD);
        Map<String, String> values = new LinkedHashMap<>();
        initial.forEach((field, value) -> {
            if (admin.fields.containsKey(field)) {
                values.put(field, value);
            }
        });
        return form(admin, null, values, Map.of(), null, true, model);
    }

    @PostMapping("/admin/{name}/add")
    String add(
            @PathVariable String name,
            @RequestParam MultiValueMap<String, String> form,
            Authentication caller,
            Model model,
            RedirectAttributes redirect) {
        AdminModel<?> admin = require(name, caller, Operation.ADD);
        Outcome outcome = objects.add(admin, form, caller);
        if (!outcome.ok()) {
            model.addAttribute(
                    "problem", outcome.problem() != null ? outcome.problem() : "Please correct the errors below.");
            return form(admin, null, submitted(admin, form), outcome.errors(), null, true, model);
        }
        redirect.addFlashAttribute("notice", "The " + admin.name.replace('_', ' ') + " was added.");
        return "redirect:" + afterSave(admin, outcome.id(), form, caller);
    }

    @GetMapping("/admin/{name}/{id}")
    String changeForm(@PathVariable String name, @PathVariable String id, Authentication caller, Model model) {
        AdminModel<?> admin = require(name, caller, Operation.VIEW);
        AdminObjects.Loaded loaded = load(admin, id, caller);
        return form(admin, loaded, loaded.values(), Map.of(), loaded.token(), writable(admin, loaded, caller), model);
    }

    @PostMapping("/admin/{name}/{id}")
    String change(
            @PathVariable String name,
            @PathVariable String id,
            @RequestParam(name = "_token", defaultValue = "") String token,
            @RequestParam(name = "_opened", defaultValue = "0") long opened,
            @RequestParam MultiValueMap<String, String> form,
            Authentication caller,
            Model model,
            RedirectAttributes redirect) {
        AdminModel<?> admin = require(name, caller, Operation.CHANGE);
        Outcome outcome = objects.change(admin, id, token, form, caller);
        if (outcome.stale()) {
            AdminObjects.Loaded current = load(admin, id, caller);
            model.addAttribute("conflict", conflict(admin, current, java.time.Instant.ofEpochMilli(opened)));
            return form(
                    admin,
                    current,
                    current.values(),
                    Map.of(),
                    current.token(),
                    writable(admin, current, caller),
                    model);
        }
        if (!outcome.ok()) {
            AdminObjects.Loaded current = load(admin, id, caller);
            model.addAttribute(
                    "problem", outcome.problem() != null ? outcome.problem() : "Please correct the errors below.");
            Map<String, String> values = new LinkedHashMap<>(current.values());
            values.putAll(submitted(admin, form));
            return form(admin, current, values, outcome.errors(), token, writable(admin, current, caller), model);
        }
        redirect.addFlashAttribute("notice", "The " + admin.name.replace('_', ' ') + " was changed.");
        return "redirect:" + afterSave(admin, id, form, caller);
    }

    private String form(
            AdminModel<?> admin,
            AdminObjects.@Nullable Loaded loaded,
            Map<String, String> values,
            Map<String, String> errors,
            @Nullable String token,
            boolean writable,
            Model model) {
        model.addAttribute("admin", admin);
        model.addAttribute("object", loaded);
        Authentication caller = org.springframework.security.core.context.SecurityContextHolder.getContext()
                .getAuthentication();
        model.addAttribute(
                "fieldsets",
                forms.fieldsets(admin, values, errors, writable, loaded == null, AdminSite.administrator(caller)));
        model.addAttribute("token", token);
        model.addAttribute("opened", System.currentTimeMillis());
        model.addAttribute("writable", writable);
        model.addAttribute(
                "canDelete", loaded != null && loaded.writable() && AdminSite.can(caller, admin, Operation.DELETE));
        if (loaded != null) {
            model.addAttribute("inlines", inlines(admin, loaded.id(), caller));
        }
        return "admin/form";
    }

    record InlineView(String label, String listUrl, ChangeLists.View list, boolean canAdd, String addUrl) {}

    private List<InlineView> inlines(AdminModel<?> admin, String id, Authentication caller) {
        List<InlineView> views = new ArrayList<>();
        for (ModelAdmin.Inline inline : admin.admin.inlines) {
            AdminModel<?> child = site.model(inline.child()).orElseThrow();
            if (!AdminSite.can(caller, child, Operation.VIEW)) {
                continue;
            }
            MultiValueMap<String, String> params = new LinkedMultiValueMap<>();
            params.add("f." + inline.reference(), id);
            ListRequest request = new ListRequest(child, params);
            views.add(new InlineView(
                    child.label,
                    request.url(Map.of()),
                    lists.view(request, false),
                    AdminSite.can(caller, child, Operation.ADD),
                    "/admin/" + child.name + "/add?" + inline.reference() + "=" + id));
        }
        return views;
    }

    /** Whether this caller's form for the object saves: the change permission and the registration's object rule. */
    private static boolean writable(AdminModel<?> admin, AdminObjects.Loaded loaded, Authentication caller) {
        return loaded.writable() && AdminSite.can(caller, admin, Operation.CHANGE);
    }

    /**
     * What a stale edit is told: who changed the object after the form was opened, when the admin's
     * history knows (a change made elsewhere, by hot-path or a sign-in, has no name to give).
     */
    private String conflict(AdminModel<?> admin, AdminObjects.Loaded current, java.time.Instant opened) {
        return audit.last(admin, current.id())
                        .filter(entry -> entry.at().isAfter(opened.minusSeconds(1)))
                        .map(entry -> entry.actor() + " changed this " + admin.name.replace('_', ' ') + " at "
                                + entry.when() + " UTC ("
                                + String.join(", ", entry.changes().keySet()) + ")")
                        .orElse("This " + admin.name.replace('_', ' ')
                                + " was changed (outside the admin, or by someone else)")
                + " after you opened it. Your changes were not saved, so as not to overwrite theirs: the form now"
                + " shows the current values; make your change again.";
    }

    /** The field values a refused form sent, to show them again, as a snapshot holds them (a checkbox not sent is off). */
    private static Map<String, String> submitted(AdminModel<?> admin, MultiValueMap<String, String> form) {
        Map<String, String> values = new LinkedHashMap<>();
        for (AdminField field : admin.fields.values()) {
            if (admin.editable(field) && FormInput.drawn(field, form)) {
                values.put(field.name, FormInput.submitted(field, form));
            }
        }
        return values;
    }

    private String afterSave(
            AdminModel<?> admin, @Nullable String id, MultiValueMap<String, String> form, Authentication caller) {
        if (form.containsKey("_continue") && id != null) {
            return "/admin/" + admin.name + "/" + id;
        }
        if (form.containsKey("_addanother")) {
            return "/admin/" + admin.name + "/add";
        }
        return AdminSite.can(caller, admin, Operation.VIEW) ? "/admin/" + admin.name : "/admin";
    }

    // ---- history

    @GetMapping("/admin/{name}/{id}/history")
    String history(@PathVariable String name, @PathVariable String id, Authentication caller, Model model) {
        AdminModel<?> admin = require(name, caller, Operation.VIEW);
        model.addAttribute("admin", admin);
        model.addAttribute("objectId", id);
        model.addAttribute(
                "object",
                objects.load(admin, id, AdminSite.administrator(caller)).orElse(null));
        model.addAttribute("entries", audit.of(admin, id, HISTORY));
        return "admin/history";
    }

    // ---- helpers

    private AdminModel<?> require(String name, Authentication caller, Operation operation) {
        return site.require(name, caller, operation);
    }

    private AdminObjects.Loaded load(AdminModel<?> admin, String id, Authentication caller) {
        return objects.loadOr404(admin, id, caller);
    }
}
