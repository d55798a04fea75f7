package dev.tandem.core.mail;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.UnsupportedEncodingException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.mail.MailException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;
import org.springframework.web.util.HtmlUtils;
import org.thymeleaf.ITemplateEngine;
import org.thymeleaf.context.Context;

/**
 * Sends one mail, rendered from {@code templates/mail/<template>.html} and {@code .txt} (both
 * parts, so every client shows something readable). The subject is the HTML template's
 * {@code <title>}. Sending is synchronous: callers run it from a retried, after-commit listener.
 */
@Component
public class Mailer {

    private static final Logger log = LoggerFactory.getLogger(Mailer.class);

    private final JavaMailSender sender;
    private final ITemplateEngine templates;
    private final MailProperties properties;

    Mailer(
            JavaMailSender sender,
            @Qualifier("mailTemplateEngine") ITemplateEngine templates,
            MailProperties properties) {
        this.sender = sender;
        this.templates = templates;
        this.properties = properties;
    }

    /** A file sent with a mail. */
    public record Attachment(String filename, String contentType, byte[] content) {}

    /** Renders and sends {@code template} to {@code to}; throws when the SMTP server refuses it. */
    public void send(String to, String template, Map<String, Object> model) {
        send(to, template, model, List.of());
    }

    /** The same, with {@code attachments}. */
    public void send(String to, String template, Map<String, Object> model, List<Attachment> attachments) {
        Context context = new Context(Locale.ENGLISH, model);
        context.setVariable("productName", "Tandem");
        context.setVariable("publicUrl", properties.publicUrl());
        String html = templates.process(template + ".html", context);
        String text = templates.process(template + ".txt", context);
        try {
            MimeMessage message = sender.createMimeMessage();
            MimeMessageHelper helper = new MimeMessageHelper(message, true, "UTF-8");
            helper.setFrom(new InternetAddress(properties.from(), "Tandem"));
            helper.setTo(to);
            helper.setSubject(subject(html));
            helper.setText(text, html);
            for (Attachment attachment : attachments) {
                helper.addAttachment(
                        attachment.filename(), new ByteArrayResource(attachment.content()), attachment.contentType());
            }
            sender.send(message);
            log.info("mail: sent {} to {}", template, to);
        } catch (MessagingException | UnsupportedEncodingException | MailException e) {
            throw new MailNotSentException("could not send " + template + ": " + e.getMessage(), e);
        }
    }

    private static String subject(String html) {
        int start = html.indexOf("<title>");
        int end = html.indexOf("</title>");
        if (start < 0 || end < start) {
            throw new IllegalStateException("mail templates need a <title>, the subject");
        }
        return HtmlUtils.htmlUnescape(
                html.substring(start + "<title>".length(), end).strip());
    }
}
