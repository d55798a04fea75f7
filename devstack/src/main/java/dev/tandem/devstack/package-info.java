/** The embedded default: one command runs the whole system on real servers, with no Docker. */
package dev.tandem.devstack;
