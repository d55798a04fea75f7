package dev.tandem.hotpath.users;

import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A user as anyone may see them. No email, role or status: those are private. */
@Schema(name = "User", description = "A user's public profile.")
public record PublicUserView(
        @Schema(description = "The user's id.", examples = "42")
        long id,

        @Schema(description = "The name the user chose to show.", examples = "Ada Lovelace")
        String displayName,

        @Schema(description = "When the account was created (RFC 3339).", examples = "2026-11-22T10:15:30Z")
        Instant memberSince) {

    static PublicUserView of(UserAccount account) {
        return new PublicUserView(account.id, account.displayName, account.createdAt);
    }
}
