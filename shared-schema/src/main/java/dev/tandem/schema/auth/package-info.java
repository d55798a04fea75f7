/**
 * The authentication contract between the services: what core-app's access tokens claim, the
 * scopes hot-path-service enforces, and the format of API keys.
 */
@NullMarked
package dev.tandem.schema.auth;

import org.jspecify.annotations.NullMarked;
