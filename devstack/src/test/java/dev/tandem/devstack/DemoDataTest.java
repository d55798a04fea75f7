package dev.tandem.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.devstack.testing.TestServers;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

class DemoDataTest {

    @Test
    void loadsTheDemoAccountsAndPostsOnce() throws SQLException {
        PostgresServer db = TestServers.postgres();

        DemoData.load(db.dataSource());
        DemoData.load(db.dataSource());

        assertThat(PostgresServerTest.query(db, "select count(*) from users where email like '%@tandem.dev'"))
                .isEqualTo("2");
        assertThat(PostgresServerTest.query(db, "select count(*) from posts")).isEqualTo("3");
        assertThat(PostgresServerTest.query(db, "select count(*) from comments"))
                .isEqualTo("3");
        assertThat(PostgresServerTest.query(db, "select role from users where email = 'admin@tandem.dev'"))
                .isEqualTo("ADMIN");
    }

    @Test
    void storesArgon2idHashesOfThePrintedPasswords() throws SQLException {
        PostgresServer db = TestServers.postgres();
        DemoData.load(db.dataSource());

        String hash = PostgresServerTest.query(db, "select password_hash from users where email = 'demo@tandem.dev'");

        assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8().matches(DemoData.DEMO.password(), hash))
                .isTrue();
    }
}
