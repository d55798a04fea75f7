package dev.tandem.core.identity.workspaces;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A workspace's URL name: 3–40 characters of {@code a-z}, {@code 0-9} and inner hyphens, and not a
 * word the site uses for itself. The schema checks the format too ({@code workspaces_slug_format}).
 */
final class Slugs {

    /** The format, as the schema's {@code workspaces_slug_format} checks it. */
    static final String REGEX = "^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$";

    static final Pattern FORMAT = Pattern.compile(REGEX);

    static final Set<String> RESERVED = Set.of(
            "about",
            "account",
            "accounts",
            "actuator",
            "admin",
            "api",
            "app",
            "assets",
            "auth",
            "billing",
            "blog",
            "css",
            "dashboard",
            "docs",
            "help",
            "img",
            "invitations",
            "js",
            "login",
            "logout",
            "new",
            "ops",
            "password",
            "posts",
            "pricing",
            "root",
            "settings",
            "signup",
            "static",
            "status",
            "support",
            "system",
            "tandem",
            "verify",
            "webjars",
            "workspace",
            "workspaces",
            "www");

    private Slugs() {}

    /** Why {@code slug} cannot be used, or empty when it can (uniqueness aside). */
    static Optional<String> problem(String slug) {
        if (!FORMAT.matcher(slug).matches()) {
            return Optional.of("Use 3–40 lower-case letters, digits and hyphens, starting and ending with a letter"
                    + " or digit.");
        }
        if (RESERVED.contains(slug) || slug.startsWith("personal-")) {
            return Optional.of("“" + slug + "” is reserved; choose another.");
        }
        return Optional.empty();
    }

    /** A slug made from a name ("Acme Labs!" → "acme-labs"), for the create form's suggestion. */
    static String suggest(String name) {
        String ascii = Normalizer.normalize(name, Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
        String slug =
                ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        return slug.length() > 40 ? slug.substring(0, 40).replaceAll("-+$", "") : slug;
    }
}
