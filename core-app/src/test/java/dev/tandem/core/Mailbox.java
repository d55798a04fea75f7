package dev.tandem.core;

import dev.tandem.devstack.MailCatcher;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** The mail the application sent during a test, read from the mail catcher. */
public final class Mailbox {

    private final MailCatcher catcher;

    Mailbox(MailCatcher catcher) {
        this.catcher = catcher;
    }

    /** A received mail: recipients, subject and both bodies. */
    public record Mail(List<String> to, String subject, String text, String html) {

        /** The first link in the HTML body that contains {@code fragment}. */
        public String link(String fragment) {
            Matcher matcher = Pattern.compile("href=\"([^\"]*" + Pattern.quote(fragment) + "[^\"]*)\"")
                    .matcher(html);
            if (!matcher.find()) {
                throw new AssertionError("no link containing " + fragment + " in:\n" + html);
            }
            return matcher.group(1).replace("&amp;", "&");
        }
    }

    /** Waits (up to a minute, which only a failure reaches) for a mail to {@code address} whose subject contains {@code subject}. */
    public Mail await(String address, String subject) {
        try {
            return Awaitility.await()
                    .atMost(Waits.PATIENCE)
                    .until(() -> find(address, subject), Optional::isPresent)
                    .orElseThrow();
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no mail to " + address + " about '" + subject + "'; got: " + subjects(), e);
        }
    }

    /** Every mail sent to {@code address}, oldest first. */
    public List<Mail> to(String address) {
        return catcher.messages().stream()
                .map(Mailbox::mail)
                .filter(mail -> mail.to().stream().anyMatch(to -> to.equalsIgnoreCase(address)))
                .toList();
    }

    private Optional<Mail> find(String address, String subject) {
        return to(address).stream()
                .filter(mail -> mail.subject().contains(subject))
                .reduce((first, second) -> second);
    }

    private List<String> subjects() {
        return catcher.messages().stream()
                .map(m -> m.get("to") + ": " + m.get("subject"))
                .toList();
    }

    @SuppressWarnings("unchecked")
    private static Mail mail(Map<String, Object> message) {
        return new Mail(
                (List<String>) message.get("to"),
                String.valueOf(message.get("subject")),
                String.valueOf(message.get("text")),
                String.valueOf(message.get("html")));
    }
}
