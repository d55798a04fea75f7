package dev.tandem.core.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Money is an integer of minor units end to end: no binary floating point and no BigDecimal in
 * billing's code or its pages (Thymeleaf's {@code #numbers.formatDecimal} makes a BigDecimal).
 */
class MoneyTypesTest {

    private static final Pattern FORBIDDEN =
            Pattern.compile("\\b(double|float|Double|Float|BigDecimal|formatDecimal|formatCurrency)\\b");

    @Test
    void billingHasNoFloatingPointOrDecimalTypes() throws IOException {
        List<Path> roots = List.of(
                Path.of("src/main/java/dev/tandem/core/billing"),
                Path.of("src/main/resources/templates/billing"),
                Path.of("src/main/resources/templates/pdf"));
        List<String> found;
        try (Stream<Path> files = roots.stream().filter(Files::isDirectory).flatMap(MoneyTypesTest::walk)) {
            found = files.filter(Files::isRegularFile)
                    .flatMap(file -> lines(file).stream()
                            .filter(line -> FORBIDDEN.matcher(line).find())
                            .map(line -> file + ": " + line.strip()))
                    .toList();
        }
        assertThat(Files.isDirectory(roots.get(0))).isTrue();
        assertThat(found).isEmpty();
    }

    private static Stream<Path> walk(Path root) {
        try {
            return Files.walk(root);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
