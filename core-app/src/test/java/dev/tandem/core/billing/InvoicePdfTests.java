package dev.tandem.core.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tandem.core.MovableClock;
import dev.tandem.core.TestAccounts;
import dev.tandem.core.TestBrowser;
import dev.tandem.core.Waits;
import dev.tandem.core.WebIntegrationTest;
import dev.tandem.devstack.testing.TestServers;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;

/**
 * Invoice PDFs opened with PDFBox and read back: the one downloaded from the invoice page, and the
 * one attached to the mail sent when the invoice was finalized, carry its number, lines, tax and
 * total; another workspace's invoice is 404 (RouteIsolationTests).
 */
@Import(BillingClock.class)
class InvoicePdfTests extends WebIntegrationTest {

    @Autowired
    MovableClock clock;

    @Autowired
    BillingService billing;

    @Autowired
    BillingPages pages;

    @Autowired
    InvoicePdfs pdfs;

    @Test
    void theDownloadedAndTheMailedPdfCarryTheNumberLinesTaxAndTotal() throws Exception {
        TestAccounts accounts = new TestAccounts(jdbc);
        BillingFixtures fixtures = new BillingFixtures(jdbc);
        long owner = accounts.active(TestAccounts.uniqueEmail("pdf-owner"));
        long workspace = fixtures.workspace(owner, "Pdf Works GmbH");
        String contact = TestAccounts.uniqueEmail("pdf-contact");
        fixtures.trialUsed(workspace);
        billing.savePaymentMethod(workspace, "Pdf Works GmbH", SandboxPaymentProvider.SUCCEEDS);
        billing.updateProfile(workspace, "DE", List.of(contact));
        billing.subscribe(owner, workspace, fixtures.price("pro", "month"));
        String number = jdbc.sql("select number from invoices where workspace_id = ?")
                .param(workspace)
                .query(String.class)
                .single();
        String slug = jdbc.sql("select slug from workspaces where id = ?")
                .param(workspace)
                .query(String.class)
                .single();

        TestBrowser browser = signedIn(owner);
        TestBrowser.Page page = browser.get("/w/" + slug + "/billing/invoices/" + number);
        assertThat(page.body()).contains("/w/" + slug + "/billing/invoices/" + number + "/pdf", "Download PDF");
        TestBrowser.Page download = browser.get("/w/" + slug + "/billing/invoices/" + number + "/pdf");
        assertThat(download.status()).isEqualTo(200);
        assertThat(download.header("Content-Type")).isEqualTo("application/pdf");
        assertThat(download.header("Content-Disposition"))
                .isEqualTo("attachment; filename=\"tandem-invoice-" + number + ".pdf\"");
        assertThat(download.body()).startsWith("%PDF-");

        String rendered = text(pdfs.render(pages.invoice(workspace, number).orElseThrow()));
        assertThat(rendered)
                .contains(
                        "Invoice " + number,
                        "Billed to Pdf Works GmbH",
                        "Pro (monthly)",
                        "Subtotal $19.00",
                        "Tax (19 %, DE) $3.61",
                        "Total $22.61",
                        "PAID");

        byte[] attached = await().atMost(Waits.PATIENCE)
                .until(() -> attachment(contact, "Invoice " + number), Optional::isPresent)
                .orElseThrow();
        assertThat(text(attached)).contains("Invoice " + number, "Pro (monthly)", "Total $22.61");
    }

    private static String text(byte[] pdf) throws IOException {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            assertThat(document.getNumberOfPages()).isEqualTo(1);
            return new PDFTextStripper().getText(document).replaceAll("\\s+", " ");
        }
    }

    /** The PDF attached to the mail to {@code address} whose subject starts with {@code subject}. */
    private static Optional<byte[]> attachment(String address, String subject) throws Exception {
        for (MimeMessage message : TestServers.mail().greenMail().getReceivedMessages()) {
            boolean to = Arrays.stream(message.getRecipients(Message.RecipientType.TO))
                    .anyMatch(recipient -> recipient.toString().equalsIgnoreCase(address));
            if (to && message.getSubject().startsWith(subject)) {
                return pdf(message);
            }
        }
        return Optional.empty();
    }

    private static Optional<byte[]> pdf(Part part) throws Exception {
        if (part.isMimeType("application/pdf")) {
            try (InputStream in = part.getInputStream()) {
                return Optional.of(in.readAllBytes());
            }
        }
        if (part.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                Optional<byte[]> found = pdf(child);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }
}
