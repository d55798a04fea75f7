/** core-app: Tandem's Spring Boot monolith (accounts, billing, the staff admin and the web UI). */
@NullMarked
package dev.tandem.core;

import org.jspecify.annotations.NullMarked;
