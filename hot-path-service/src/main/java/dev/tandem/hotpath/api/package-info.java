/** What every endpoint of API v1 shares: RFC 9457 problem details and the OpenAPI description. */
package dev.tandem.hotpath.api;
