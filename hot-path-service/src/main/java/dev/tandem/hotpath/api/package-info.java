/** What every endpoint of API v1 shares: RFC 9457 problem details and the OpenAPI description. */
@NullMarked
package dev.tandem.hotpath.api;

import org.jspecify.annotations.NullMarked;
