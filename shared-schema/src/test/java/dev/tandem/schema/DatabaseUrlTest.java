package dev.tandem.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatabaseUrlTest {

    @Test
    void readsTheLibpqForm() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://db.internal:6432/tandem?sslmode=require");

        assertThat(url.host()).isEqualTo("db.internal");
        assertThat(url.port()).isEqualTo(6432);
        assertThat(url.database()).isEqualTo("tandem");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:6432/tandem?sslmode=require");
        assertThat(url.uri()).isEqualTo("postgresql://db.internal:6432/tandem?sslmode=require");
    }

    @Test
    void defaultsThePort() {
        assertThat(DatabaseUrl.parse("postgresql://localhost/tandem").port()).isEqualTo(5432);
    }

    @Test
    void refusesTheJdbcFormWhichOnlyOneServiceCouldRead() {
        assertThatThrownBy(() -> DatabaseUrl.parse("jdbc:postgresql://localhost:5433/x"))
                .hasMessageContaining("drop the jdbc: prefix");
    }

    @Test
    void refusesCredentialsInTheUrl() {
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://bob:secret@localhost/tandem"))
                .hasMessageContaining("TANDEM_DB_USER")
                .hasMessageNotContaining("secret");
    }

    @Test
    void refusesOtherSchemesAndMissingParts() {
        assertThatThrownBy(() -> DatabaseUrl.parse("mysql://localhost/tandem")).hasMessageContaining("postgresql://");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://localhost")).hasMessageContaining("database name");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgresql:///tandem")).hasMessageContaining("host");
    }
}
