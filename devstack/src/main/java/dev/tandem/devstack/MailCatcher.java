package dev.tandem.devstack;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.util.List;
import java.util.Map;

/**
 * Catches every mail the services send (GreenMail): SMTP in; out through IMAP (any address
 * receives, any password opens its mailbox) and a web inbox ({@link MailInbox}).
 */
public final class MailCatcher implements AutoCloseable {

    private final GreenMail greenMail;
    private final MailInbox inbox;
    private final int smtpPort;
    private final int imapPort;
    private final int webPort;

    private MailCatcher(GreenMail greenMail, MailInbox inbox, int smtpPort, int imapPort, int webPort) {
        this.greenMail = greenMail;
        this.inbox = inbox;
        this.smtpPort = smtpPort;
        this.imapPort = imapPort;
        this.webPort = webPort;
    }

    public static MailCatcher start(int smtpPort, int imapPort, int webPort) {
        GreenMail greenMail = new GreenMail(new ServerSetup[] {
            new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
            new ServerSetup(imapPort, "127.0.0.1", ServerSetup.PROTOCOL_IMAP)
        });
        greenMail.withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
        greenMail.start();
        try {
            return new MailCatcher(greenMail, MailInbox.start(greenMail, webPort), smtpPort, imapPort, webPort);
        } catch (RuntimeException e) {
            greenMail.stop();
            throw e;
        }
    }

    public int smtpPort() {
        return smtpPort;
    }

    public int imapPort() {
        return imapPort;
    }

    public int webPort() {
        return webPort;
    }

    public GreenMail greenMail() {
        return greenMail;
    }

    /** Every message received so far, oldest first: {@code to}, {@code subject}, {@code text}, {@code html}, {@code attachments}. */
    public List<Map<String, Object>> messages() {
        return inbox.messages();
    }

    /** The variables that point a service's SMTP client here. */
    public Map<String, String> environment() {
        return Map.of("TANDEM_SMTP_HOST", "localhost", "TANDEM_SMTP_PORT", Integer.toString(smtpPort));
    }

    @Override
    public void close() {
        inbox.close();
        greenMail.stop();
    }
}
