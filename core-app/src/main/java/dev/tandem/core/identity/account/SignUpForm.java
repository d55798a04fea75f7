package dev.tandem.core.identity.account;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** What the sign-up page posts. Bound to this record, never to the entity. */
record SignUpForm(
        @NotBlank(message = "Enter your email address.")
        @Email(message = "Enter an email address like name@example.com.")
        @Size(max = 254, message = "An email address has at most 254 characters.")
        String email,

        @NotBlank(message = "Enter the name other people will see.")
        @Size(max = 80, message = "Use at most 80 characters.")
        String displayName,

        @NotBlank(message = "Choose a password.") String password) {

    String normalizedEmail() {
        return email.strip();
    }

    String normalizedDisplayName() {
        return DisplayNames.normalize(displayName);
    }
}
