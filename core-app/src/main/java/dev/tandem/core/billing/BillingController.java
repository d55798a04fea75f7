package dev.tandem.core.billing;

import dev.tandem.core.billing.PaymentProvider.Payment;
import dev.tandem.core.identity.CurrentAccount;
import dev.tandem.core.identity.workspaces.CurrentWorkspace;
import dev.tandem.core.identity.workspaces.WorkspaceNotFoundException;
import dev.tandem.core.identity.workspaces.Workspaces;
import dev.tandem.core.identity.workspaces.Workspaces.Membership;
import dev.tandem.core.platform.TandemProperties;
import dev.tandem.schema.workspaces.WorkspaceAction;
import jakarta.servlet.http.HttpSession;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The workspace's billing pages: the overview (plan, next invoice, plans to move to, payment
 * method, billing details, invoices), the plan change's preview, each invoice. Members whose role
 * lacks {@link WorkspaceAction#SEE_BILLING} get 404, as for a workspace that does not exist; every
 * change takes {@link WorkspaceAction#MANAGE_BILLING}. A refusal comes back as the page's message.
 */
@Controller
class BillingController {

    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
    private static final int MAX_CONTACTS = 10;

    private final Workspaces workspaces;
    private final CurrentWorkspace current;
    private final BillingService billing;
    private final BillingPages pages;
    private final Catalogue catalogue;
    private final BillingProperties properties;
    private final InvoicePdfs pdfs;
    private final PaymentProvider provider;
    private final String publicUrl;

    BillingController(
            Workspaces workspaces,
            CurrentWorkspace current,
            BillingService billing,
            BillingPages pages,
            Catalogue catalogue,
            BillingProperties properties,
            InvoicePdfs pdfs,
            PaymentProvider provider,
            TandemProperties tandem) {
        this.pdfs = pdfs;
        this.provider = provider;
        this.publicUrl = tandem.publicUrl().toString().replaceAll("/+$", "");
        this.workspaces = workspaces;
        this.current = current;
        this.billing = billing;
        this.pages = pages;
        this.catalogue = catalogue;
        this.properties = properties;
    }

    /** From the pricing page: the current workspace's billing page, with the plan chosen. */
    @GetMapping("/billing")
    String choose(
            @RequestParam(defaultValue = "") String plan,
            @RequestParam(defaultValue = "month") String interval,
            HttpSession session) {
        long account = CurrentAccount.require().id();
        Membership workspace = current.of(account, session).orElseThrow(WorkspaceNotFoundException::new);
        String query = plan.matches("[a-z][a-z0-9-]{1,30}") && interval.matches("month|year")
                ? "?plan=" + plan + "&interval=" + interval
                : "";
        return "redirect:/w/" + workspace.slug() + "/billing" + query;
    }

    @GetMapping("/w/{slug}/billing")
    String overview(
            @PathVariable String slug,
            @RequestParam(defaultValue = "") String plan,
            @RequestParam(defaultValue = "month") String interval,
            HttpSession session,
            Model model) {
        Membership workspace = open(slug, WorkspaceAction.SEE_BILLING, session);
        BillingInterval chosen = "year".equals(interval) ? BillingInterval.YEAR : BillingInterval.MONTH;
        model.addAttribute("workspace", workspace);
        model.addAttribute("billing", pages.overview(workspace.id()));
        model.addAttribute("offers", catalogue.offers(properties.currency()));
        model.addAttribute("interval", chosen);
        model.addAttribute("chosenPlan", plan);
        model.addAttribute("manage", workspace.may(WorkspaceAction.MANAGE_BILLING));
        model.addAttribute("hostedSetup", provider.hostsSetup());
        model.addAttribute("provider", provider.name());
        return "billing/overview";
    }

    @PostMapping("/w/{slug}/billing/payment-method")
    String paymentMethod(
            @PathVariable String slug, @RequestParam(defaultValue = "") String card, RedirectAttributes redirect) {
        return act(slug, redirect, (account, workspace) -> {
            if (card.isBlank()) {
                throw new BillingRuleException("Enter a card number.");
            }
            PaymentProvider.Card saved = billing.savePaymentMethod(workspace.id(), workspace.name(), card);
            return saved.brand() + " ending in " + saved.last4() + " saved.";
        });
    }

    /** Stripe: the card is saved on Stripe's Checkout page, which comes back to {@link #hostedReturn}. */
    @PostMapping("/w/{slug}/billing/payment-method/hosted")
    String hostedSetup(@PathVariable String slug, HttpSession session, RedirectAttributes redirect) {
        Membership workspace = open(slug, WorkspaceAction.MANAGE_BILLING, session);
        String billingUrl = publicUrl + "/w/" + slug + "/billing";
        try {
            return billing.hostedSetup(
                            workspace.id(),
                            workspace.name(),
                            properties.currency(),
                            billingUrl + "/payment-method/return?session={SESSION}",
                            billingUrl + "#payment-method")
                    .map(url -> "redirect:" + url)
                    .orElseThrow(() -> new BillingRuleException("Enter the card in the form."));
        } catch (BillingRuleException e) {
            redirect.addFlashAttribute("flashError", e.getMessage());
            return "redirect:/w/" + slug + "/billing";
        }
    }

    @GetMapping("/w/{slug}/billing/payment-method/return")
    String hostedReturn(
            @PathVariable String slug,
            @RequestParam(defaultValue = "") String session,
            HttpSession httpSession,
            RedirectAttributes redirect) {
        Membership workspace = open(slug, WorkspaceAction.MANAGE_BILLING, httpSession);
        try {
            PaymentProvider.Card saved = billing.completeHostedSetup(workspace.id(), session);
            redirect.addFlashAttribute("flash", saved.brand() + " ending in " + saved.last4() + " saved.");
        } catch (BillingRuleException e) {
            redirect.addFlashAttribute("flashError", e.getMessage());
        }
        return "redirect:/w/" + slug + "/billing";
    }

    @PostMapping("/w/{slug}/billing/details")
    String details(
            @PathVariable String slug,
            @RequestParam(defaultValue = "") String country,
            @RequestParam(defaultValue = "") String contacts,
            RedirectAttributes redirect) {
        return act(slug, redirect, (account, workspace) -> {
            String code = country.strip().toUpperCase(Locale.ROOT);
            if (!code.isEmpty() && !COUNTRIES.contains(code)) {
                throw new BillingRuleException("Choose a country from the list.");
            }
            List<String> addresses = Arrays.stream(contacts.split("[,\\s]+"))
                    .map(String::strip)
                    .filter(address -> !address.isEmpty())
                    .distinct()
                    .toList();
            addresses.stream()
                    .filter(address -> !address.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+") || address.length() > 254)
                    .findFirst()
                    .ifPresent(address -> {
                        throw new BillingRuleException("\"" + address + "\" is not an email address.");
                    });
            if (addresses.size() > MAX_CONTACTS) {
                throw new BillingRuleException("Give at most " + MAX_CONTACTS + " billing contacts.");
            }
            billing.updateProfile(workspace.id(), code.isEmpty() ? null : code, addresses);
            return "Billing details saved.";
        });
    }

    @PostMapping("/w/{slug}/billing/subscribe")
    String subscribe(
            @PathVariable String slug, @RequestParam(defaultValue = "0") long price, RedirectAttributes redirect) {
        return act(
                slug,
                redirect,
                (account, workspace) -> billing.subscribe(account, workspace.id(), price)
                        .map(BillingController::describe)
                        .orElse("Your trial has started."));
    }

    @GetMapping("/w/{slug}/billing/change")
    String preview(
            @PathVariable String slug,
            @RequestParam(defaultValue = "0") long price,
            HttpSession session,
            Model model,
            RedirectAttributes redirect) {
        Membership workspace = open(slug, WorkspaceAction.MANAGE_BILLING, session);
        try {
            model.addAttribute("preview", billing.preview(workspace.id(), price));
        } catch (BillingRuleException e) {
            redirect.addFlashAttribute("flashError", e.getMessage());
            return "redirect:/w/" + slug + "/billing";
        }
        model.addAttribute("workspace", workspace);
        model.addAttribute("billing", pages.overview(workspace.id()));
        return "billing/change";
    }

    @PostMapping("/w/{slug}/billing/change")
    String change(
            @PathVariable String slug, @RequestParam(defaultValue = "0") long price, RedirectAttributes redirect) {
        return act(slug, redirect, (account, workspace) -> {
            BillingService.ChangePreview done = billing.changePlan(account, workspace.id(), price);
            return "You are now on " + done.to().name() + ".";
        });
    }

    @PostMapping("/w/{slug}/billing/cancel")
    String cancel(@PathVariable String slug, RedirectAttributes redirect) {
        return act(slug, redirect, (account, workspace) -> {
            billing.cancel(account, workspace.id());
            return "The subscription ends with the current period.";
        });
    }

    @PostMapping("/w/{slug}/billing/resume")
    String resume(@PathVariable String slug, RedirectAttributes redirect) {
        return act(slug, redirect, (account, workspace) -> {
            billing.resume(account, workspace.id());
            return "The subscription continues.";
        });
    }

    /** Where the customer comes back to after the action a payment required. */
    @GetMapping("/w/{slug}/billing/payments/{intent}")
    String paymentReturn(
            @PathVariable String slug, @PathVariable String intent, HttpSession session, RedirectAttributes redirect) {
        Membership workspace = open(slug, WorkspaceAction.MANAGE_BILLING, session);
        Optional<Payment> payment;
        try {
            payment = billing.refreshPayment(workspace.id(), intent);
        } catch (BillingRuleException e) {
            redirect.addFlashAttribute("flashError", e.getMessage());
            return "redirect:/w/" + slug + "/billing";
        }
        redirect.addFlashAttribute(
                payment.orElseThrow(WorkspaceNotFoundException::new).outcome() == PaymentProvider.Outcome.FAILED
                        ? "flashError"
                        : "flash",
                describe(payment.get()));
        return "redirect:/w/" + slug + "/billing";
    }

    @GetMapping("/w/{slug}/billing/invoices/{number}")
    String invoice(@PathVariable String slug, @PathVariable String number, HttpSession session, Model model) {
        Membership workspace = open(slug, WorkspaceAction.SEE_BILLING, session);
        model.addAttribute("workspace", workspace);
        model.addAttribute(
                "invoice", pages.invoice(workspace.id(), number).orElseThrow(WorkspaceNotFoundException::new));
        return "billing/invoice";
    }

    @GetMapping("/w/{slug}/billing/invoices/{number}/pdf")
    ResponseEntity<byte[]> invoicePdf(@PathVariable String slug, @PathVariable String number, HttpSession session) {
        Membership workspace = open(slug, WorkspaceAction.SEE_BILLING, session);
        BillingPages.InvoicePage invoice =
                pages.invoice(workspace.id(), number).orElseThrow(WorkspaceNotFoundException::new);
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_PDF)
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment()
                                .filename(InvoicePdfs.filename(invoice))
                                .build()
                                .toString())
                .cacheControl(CacheControl.noStore())
                .body(pdfs.render(invoice));
    }

    private static String describe(PaymentProvider.Payment payment) {
        return switch (payment.outcome()) {
            case SUCCEEDED -> "Payment received. Thank you.";
            case REQUIRES_ACTION -> "Your bank asks you to confirm the payment.";
            case FAILED -> "The payment failed: " + payment.failure();
        };
    }

    /** The workspace of a page, made the session's workspace; 404 without the right. */
    private Membership open(String slug, WorkspaceAction action, HttpSession session) {
        return current.open(CurrentAccount.require().id(), slug, action, session);
    }

    private interface Change {
        String apply(long account, Membership workspace);
    }

    private String act(String slug, RedirectAttributes redirect, Change change) {
        long account = CurrentAccount.require().id();
        Membership workspace = workspaces.require(account, slug, WorkspaceAction.MANAGE_BILLING);
        try {
            String done = change.apply(account, workspace);
            redirect.addFlashAttribute(done.startsWith("The payment failed") ? "flashError" : "flash", done);
        } catch (BillingRuleException e) {
            redirect.addFlashAttribute("flashError", e.getMessage());
        }
        return "redirect:/w/" + slug + "/billing";
    }
}
