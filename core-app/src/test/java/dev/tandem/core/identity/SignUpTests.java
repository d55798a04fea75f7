package dev.tandem.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;

import dev.tandem.core.IntegrationTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

class SignUpTests extends IntegrationTest {

    @Autowired
    MockMvcTester mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PasswordEncoder passwords;

    @Test
    void createsAPendingAccountAndItsEventTogether() {
        String email = unique("ada");

        MvcTestResult result = signUp(email, "  Ada   Lovelace ", "analytical engine 1843");

        assertThat(result).hasStatus3xxRedirection().hasRedirectedUrl("/signup/done");
        var row = jdbc.sql("select id, display_name, status, role, password_hash from users where email = ?")
                .param(email)
                .query()
                .singleRow();
        assertThat(row.get("display_name")).isEqualTo("Ada Lovelace");
        assertThat(row.get("status")).isEqualTo("PENDING");
        assertThat(row.get("role")).isEqualTo("USER");
        assertThat((String) row.get("password_hash")).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(passwords.matches("analytical engine 1843", (String) row.get("password_hash")))
                .isTrue();
        assertThat(jdbc.sql("select count(*) from outbox where event_type = 'user.registered'"
                                + " and (payload -> 'data' ->> 'userId')::bigint = ?")
                        .param(row.get("id"))
                        .query(Long.class)
                        .single())
                .isOne();
    }

    @Test
    void showsEachInvalidFieldAndWritesNothing() {
        long usersBefore = count("users");
        long eventsBefore = count("outbox");

        MvcTestResult result = signUp("not-an-email", "", "short");

        assertThat(result).hasStatusOk();
        assertThat(result)
                .bodyText()
                .contains("Enter an email address like name@example.com.")
                .contains("Enter the name other people will see.")
                .contains("Use between 12 and 128 characters.")
                .contains("is-invalid");
        assertThat(count("users")).isEqualTo(usersBefore);
        assertThat(count("outbox")).isEqualTo(eventsBefore);
    }

    @Test
    void refusesASecondAccountForTheSameAddressWhateverItsCase() {
        String email = unique("grace");
        signUp(email, "Grace", "cobol compiler 1959");

        MvcTestResult again = signUp(email.toUpperCase(), "Grace again", "another long password");

        assertThat(again).hasStatusOk();
        assertThat(again).bodyText().contains("An account with this email address already exists.");
        assertThat(jdbc.sql("select count(*) from users where lower(email) = lower(?)")
                        .param(email)
                        .query(Long.class)
                        .single())
                .isOne();
    }

    @Test
    void refusesAPasswordContainingTheEmail() {
        String email = unique("linus");

        assertThat(signUp(email, "Linus", "my address is " + email))
                .bodyText()
                .contains("Your password must not contain your email address.");
    }

    @Test
    void aPostWithoutCsrfTokenIsForbidden() {
        assertThat(mvc.post()
                        .uri("/signup")
                        .param("email", unique("mallory"))
                        .param("displayName", "Mallory")
                        .param("password", "a perfectly long password"))
                .hasStatus(403);
    }

    private MvcTestResult signUp(String email, String displayName, String password) {
        return mvc.post()
                .uri("/signup")
                .with(csrf())
                .accept(MediaType.TEXT_HTML)
                .param("email", email)
                .param("displayName", displayName)
                .param("password", password)
                .exchange();
    }

    private long count(String table) {
        return jdbc.sql("select count(*) from " + table).query(Long.class).single();
    }

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID() + "@example.com";
    }
}
