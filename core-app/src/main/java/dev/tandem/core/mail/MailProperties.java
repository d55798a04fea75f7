package dev.tandem.core.mail;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Mail settings ({@code tandem.mail.*}); the SMTP server itself is {@code spring.mail.*}.
 *
 * @param from the sender address, e.g. {@code no-reply@example.com}
 * @param publicUrl where links in mail point (core-app's public address)
 */
@Validated
@ConfigurationProperties("tandem.mail")
record MailProperties(
        @NotBlank @Email String from, @NotBlank String publicUrl) {}
