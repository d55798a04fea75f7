package dev.tandem.schema.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeyFormatTest {

    @Test
    void generatedKeysParseBackAndMatchTheirHash() {
        ApiKeyFormat.ApiKey key = ApiKeyFormat.generate();

        assertThat(key.value()).matches("tdm_[a-z0-9]{12}_[A-Za-z0-9_-]{43}");
        assertThat(ApiKeyFormat.parse(key.value())).contains(key);
        assertThat(ApiKeyFormat.matches(key.secret(), ApiKeyFormat.hash(key.secret())))
                .isTrue();
        assertThat(key.displayPrefix()).isEqualTo("tdm_" + key.id() + "_…").doesNotContain(key.secret());
    }

    @Test
    void aWrongSecretDoesNotMatch() {
        ApiKeyFormat.ApiKey key = ApiKeyFormat.generate();
        ApiKeyFormat.ApiKey other = ApiKeyFormat.generate();

        assertThat(ApiKeyFormat.matches(other.secret(), ApiKeyFormat.hash(key.secret())))
                .isFalse();
    }

    @Test
    void anythingElseIsNotAKey() {
        assertThat(ApiKeyFormat.parse("eyJhbGciOiJSUzI1NiJ9.e30.sig")).isEmpty();
        assertThat(ApiKeyFormat.parse("tdm_short_secret")).isEmpty();
        assertThat(ApiKeyFormat.parse("tdm_ABCDEFGHIJKL_" + "a".repeat(43))).isEmpty();
        assertThat(ApiKeyFormat.parse("tdm_abcdefghijkl_" + "a".repeat(43) + " "))
                .isEmpty();
    }

    @Test
    void keysAreUnique() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertThat(seen.add(ApiKeyFormat.generate().value())).isTrue();
        }
    }
}
