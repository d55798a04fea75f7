package dev.tandem.core.identity.mfa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.core.TestBrowser;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** For tests of pages behind the second factor (staff): enrols the signed-in browser in TOTP. */
public final class TestSecondFactor {

    private static final Pattern SECRET = Pattern.compile("id=\"totp-secret\"[^>]*>([A-Z2-7 ]+)<");

    private TestSecondFactor() {}

    /** Sets up TOTP for the browser's account, which counts as the second factor of its session. */
    public static void enroll(TestBrowser browser) {
        Matcher matcher = SECRET.matcher(browser.get("/account/mfa/setup").body());
        assertThat(matcher.find()).as("the set-up page shows the secret").isTrue();
        String secret = matcher.group(1);
        String code = Totp.code(Base32.decode(secret), Totp.step(Instant.now()));
        assertThat(browser.post("/account/mfa/setup", Map.of("code", code)).status())
                .isEqualTo(200);
    }
}
