/** Real PostgreSQL and AMQP servers for the services' integration tests, one of each per test JVM. */
package dev.tandem.devstack.testing;
