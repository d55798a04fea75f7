package dev.tandem.core.billing;

import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import dev.tandem.core.billing.BillingPages.InvoicePage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/**
 * An invoice as a PDF: {@code templates/pdf/invoice.xhtml} rendered by Thymeleaf (XML mode, so the
 * output is the well-formed XHTML the layout engine needs), laid out by openhtmltopdf and written
 * with PDFBox. The text is real text (searchable, copyable), in the PDF's standard Helvetica.
 */
@Component
public class InvoicePdfs {

    private final SpringTemplateEngine templates = new SpringTemplateEngine();

    InvoicePdfs() {
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver();
        resolver.setPrefix("templates/pdf/");
        resolver.setSuffix(".xhtml");
        resolver.setTemplateMode(TemplateMode.XML);
        resolver.setCharacterEncoding("UTF-8");
        resolver.setCacheable(true);
        templates.setTemplateResolver(resolver);
    }

    /** The PDF of {@code invoice}. */
    public byte[] render(InvoicePage invoice) {
        String xhtml = templates.process(
                "invoice", new Context(Locale.ENGLISH, Map.of("invoice", invoice, "productName", "Tandem")));
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        PdfRendererBuilder builder = new PdfRendererBuilder();
        builder.useFastMode();
        builder.withHtmlContent(xhtml, null);
        builder.toStream(out);
        try {
            builder.run();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "could not write the PDF of invoice " + invoice.invoice().number(), e);
        }
        return out.toByteArray();
    }

    /** The file name a download or an attachment gets. */
    public static String filename(InvoicePage invoice) {
        return "tandem-invoice-" + invoice.invoice().number() + ".pdf";
    }
}
