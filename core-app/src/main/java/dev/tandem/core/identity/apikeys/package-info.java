/** API keys for API clients: created with a secret shown once, listed, revoked; only hashes are kept. */
@NullMarked
package dev.tandem.core.identity.apikeys;

import org.jspecify.annotations.NullMarked;
