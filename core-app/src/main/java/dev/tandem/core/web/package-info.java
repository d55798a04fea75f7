/** The public pages and the layout every page of core-app extends. */
@NullMarked
package dev.tandem.core.web;

import org.jspecify.annotations.NullMarked;
