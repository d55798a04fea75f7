/**
 * Content in the web UI: "My posts" and a post's page are read from the shared database (posts and
 * comments are hot-path-service's tables, which core-app only reads); the forms that write send
 * the change to hot-path's API on the signed-in person's behalf.
 */
@NullMarked
package dev.tandem.core.content;

import org.jspecify.annotations.NullMarked;
