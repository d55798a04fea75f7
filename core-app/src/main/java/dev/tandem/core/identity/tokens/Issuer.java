package dev.tandem.core.identity.tokens;

import dev.tandem.core.platform.TandemProperties;

/** The token issuer: core-app's public URL, without a trailing slash (what verifiers compare). */
final class Issuer {

    private Issuer() {}

    static String of(TandemProperties properties) {
        return properties.publicUrl().toString().replaceAll("/+$", "");
    }
}
