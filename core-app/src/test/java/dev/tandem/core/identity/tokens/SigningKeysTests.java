package dev.tandem.core.identity.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.IntegrationTest;
import dev.tandem.core.MovableClock;
import dev.tandem.core.identity.IdentityProperties;
import dev.tandem.core.identity.SecretBox;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Key rotation, with the clock moved by hand: two keys are published around every hand-over. */
class SigningKeysTests extends IntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    SecretBox box;

    @Autowired
    IdentityProperties properties;

    private final MovableClock clock = new MovableClock(Instant.parse("2030-01-01T00:00:00Z"));
    private SigningKeys keys;

    @BeforeEach
    void freshKeys() {
        jdbc.sql("delete from signing_keys").update();
        keys = new SigningKeys(jdbc, box, properties, clock);
    }

    @AfterEach
    void leaveNoKeysFromTheFuture() {
        jdbc.sql("delete from signing_keys").update();
    }

    @Test
    void publishesTheSuccessorAheadOfTheHandOverAndTheRetiredKeyAfterIt() {
        String first = keys.current().getKeyID();
        assertThat(keys.published().getKeys()).hasSize(1);

        clock.advance(Duration.ofDays(29).plusHours(1));
        keys.rotate();
        assertThat(keys.current().getKeyID()).as("the first key still signs").isEqualTo(first);
        assertThat(keys.published().getKeys())
                .as("its successor is already published")
                .hasSize(2);

        clock.advance(Duration.ofMinutes(23 * 60 + 5));
        String second = keys.current().getKeyID();
        assertThat(second).isNotEqualTo(first);
        assertThat(keys.published().getKeyByKeyId(first))
                .as("retired 5 minutes ago: tokens it signed are still valid")
                .isNotNull();

        clock.advance(Duration.ofMinutes(11));
        assertThat(keys.published().getKeyByKeyId(first))
                .as("gone once its tokens expired")
                .isNull();
        assertThat(keys.published().getKeyByKeyId(second)).isNotNull();
    }

    @Test
    void rotatingAgainChangesNothing() {
        keys.current();
        keys.rotate();
        keys.rotate();

        assertThat(jdbc.sql("select count(*) from signing_keys")
                        .query(Long.class)
                        .single())
                .isOne();
    }

    @Test
    void privateKeysAreStoredEncrypted() {
        keys.current();

        byte[] stored = jdbc.sql("select private_key from signing_keys")
                .query(byte[].class)
                .single();

        assertThat(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain("RSA");
        assertThat(box.open(stored)).hasSizeGreaterThan(1000);
    }
}
