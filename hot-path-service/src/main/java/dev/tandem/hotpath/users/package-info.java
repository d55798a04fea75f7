/** Users as the API shows them: public profiles read from core-app's accounts, cached until an account event says otherwise. */
@NullMarked
package dev.tandem.hotpath.users;

import org.jspecify.annotations.NullMarked;
