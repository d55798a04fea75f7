/** Real PostgreSQL and AMQP servers for the services' integration tests, one of each per test JVM. */
@NullMarked
package dev.tandem.devstack.testing;

import org.jspecify.annotations.NullMarked;
