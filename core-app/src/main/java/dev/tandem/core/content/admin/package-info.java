/**
 * The staff admin's JPA mappings of hot-path-service's content tables (posts, comments,
 * attachments) and their registrations. Only the admin writes through them.
 */
@NullMarked
package dev.tandem.core.content.admin;

import org.jspecify.annotations.NullMarked;
