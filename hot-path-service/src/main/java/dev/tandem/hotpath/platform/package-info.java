/** What every feature stands on: the schema check at start and the production safety checks. */
package dev.tandem.hotpath.platform;
