/** Outgoing mail: messages rendered from Thymeleaf templates (HTML and text) and sent over SMTP. */
@NullMarked
package dev.tandem.core.mail;

import org.jspecify.annotations.NullMarked;
