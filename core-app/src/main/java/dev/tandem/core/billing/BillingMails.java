package dev.tandem.core.billing;

import dev.tandem.core.billing.BillingPages.InvoicePage;
import dev.tandem.core.billing.Dunning.DunningRecovered;
import dev.tandem.core.billing.Dunning.DunningTried;
import dev.tandem.core.mail.Mailer;
import dev.tandem.core.platform.TandemProperties;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Billing's mails to a workspace's billing contacts (its owners and admins when it named none),
 * sent after the transaction that decided them committed; a failure (SMTP down) is retried with the
 * other incomplete event publications.
 */
@Component
class BillingMails {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH);

    private record Addressed(String workspace, String slug, List<String> contacts) {}

    private final JdbcClient jdbc;
    private final Mailer mailer;
    private final BillingPages pages;
    private final InvoicePdfs pdfs;
    private final String publicUrl;

    BillingMails(JdbcClient jdbc, Mailer mailer, BillingPages pages, InvoicePdfs pdfs, TandemProperties tandem) {
        this.jdbc = jdbc;
        this.mailer = mailer;
        this.pages = pages;
        this.pdfs = pdfs;
        this.publicUrl = tandem.publicUrl().toString().replaceAll("/+$", "");
    }

    @ApplicationModuleListener
    void on(DunningTried event) {
        String invoice = invoiceNumber(event.invoiceId());
        addressed(event.workspaceId()).ifPresent(to -> {
            Map<String, Object> model = model(to, invoice);
            model.put("tries", event.tries());
            model.put("of", event.of());
            model.put("failure", event.failure() == null ? "The payment was declined." : event.failure());
            model.put("canceled", event.canceled());
            model.put(
                    "nextTry",
                    event.nextTryAt() == null
                            ? ""
                            : DAY.format(event.nextTryAt().atZone(ZoneOffset.UTC)));
            to.contacts().forEach(address -> mailer.send(address, "payment-failed", model));
        });
    }

    @ApplicationModuleListener
    void on(InvoiceMaker.InvoiceFinalized event) {
        Optional<InvoicePage> invoice = jdbc.sql("select number from invoices where id = ?")
                .param(event.invoiceId())
                .query(String.class)
                .optional()
                .flatMap(number -> pages.invoice(event.workspaceId(), number));
        Optional<Addressed> addressed = addressed(event.workspaceId());
        if (invoice.isEmpty() || addressed.isEmpty()) {
            return;
        }
        InvoicePage page = invoice.get();
        Addressed to = addressed.get();
        Map<String, Object> model = model(to, page.invoice().number());
        model.put(
                "link",
                publicUrl + "/w/" + to.slug() + "/billing/invoices/"
                        + page.invoice().number());
        model.put("total", page.invoice().total());
        model.put("status", page.invoice().status());
        List<Mailer.Attachment> pdf =
                List.of(new Mailer.Attachment(InvoicePdfs.filename(page), "application/pdf", pdfs.render(page)));
        to.contacts().forEach(address -> mailer.send(address, "invoice-finalized", model, pdf));
    }

    @ApplicationModuleListener
    void on(DunningRecovered event) {
        String invoice = invoiceNumber(event.invoiceId());
        addressed(event.workspaceId()).ifPresent(to -> {
            Map<String, Object> model = model(to, invoice);
            to.contacts().forEach(address -> mailer.send(address, "payment-recovered", model));
        });
    }

    private Map<String, Object> model(Addressed to, String invoice) {
        Map<String, Object> model = new HashMap<>();
        model.put("workspace", to.workspace());
        model.put("invoice", invoice);
        model.put("link", publicUrl + "/w/" + to.slug() + "/billing");
        return model;
    }

    private String invoiceNumber(long invoiceId) {
        return jdbc.sql("select number from invoices where id = ?")
                .param(invoiceId)
                .query(String.class)
                .optional()
                .orElse("");
    }

    /** The workspace and who receives its billing mail; empty when the workspace is gone. */
    private Optional<Addressed> addressed(long workspaceId) {
        return jdbc.sql("""
                        select w.name, w.slug, coalesce(nullif(b.contacts, '{}'), array(
                            select u.email from workspace_members m join users u on u.id = m.user_id
                            where m.workspace_id = w.id and m.role in ('owner', 'admin') order by m.id)) as contacts
                        from workspaces w left join billing_profiles b on b.workspace_id = w.id
                        where w.id = ?
                        """)
                .param(workspaceId)
                .query((row, n) -> new Addressed(row.getString("name"), row.getString("slug"), List.of((String[])
                        row.getArray("contacts").getArray())))
                .optional();
    }
}
