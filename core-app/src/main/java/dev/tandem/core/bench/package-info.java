/**
 * The benchmark's core-app side (profile {@code bench} only): the two reads of bench/ (a user by id,
 * a user with their first page of posts and those posts' comments) as JSON, written the idiomatic
 * Spring way, Spring MVC on virtual threads with Spring Data JPA and fetch joins, so the report
 * compares it with hot-path-service's reactive endpoints on the same data.
 */
@NullMarked
package dev.tandem.core.bench;

import org.jspecify.annotations.NullMarked;
