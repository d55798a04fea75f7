/** Rate limits per caller (token buckets) and usage metering of every authenticated call. */
@NullMarked
package dev.tandem.hotpath.limits;

import org.jspecify.annotations.NullMarked;
