package dev.tandem.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium (Debian's {@code chromium} and {@code chromium-driver}) driven by Selenium,
 * saving a screenshot of every page it is asked to remember. Without the browser the test is
 * skipped, unless {@code TANDEM_REQUIRE_BROWSER=1} (CI) makes that a failure.
 */
final class Browser implements AutoCloseable {

    /** Bounds a wait for the page: only a real failure reaches it, however slow the machine. */
    static final Duration PATIENCE = Duration.ofSeconds(60);

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriver driver;
    private final Path screenshots;
    private final Path profile;
    private int shots;

    private Browser(ChromeDriver driver, Path screenshots, Path profile) {
        this.driver = driver;
        this.screenshots = screenshots;
        this.profile = profile;
    }

    static Browser start(Path screenshots) throws IOException {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed && "1".equals(System.getenv("TANDEM_REQUIRE_BROWSER"))) {
            throw new AssertionError("the browser test needs Debian's chromium and chromium-driver");
        }
        Assumptions.assumeTrue(installed, "chromium and chromium-driver are not installed: browser test skipped");
        Files.createDirectories(screenshots);
        Path profile = Files.createTempDirectory("tandem-chromium");
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toFile())
                .addArguments(
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-quic",
                        "--no-first-run",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--disable-dev-shm-usage",
                        "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1280, 900));
        driver.manage().timeouts().pageLoadTimeout(PATIENCE);
        return new Browser(driver, screenshots, profile);
    }

    void open(String url) {
        driver.get(url);
    }

    WebElement find(String css) {
        return new WebDriverWait(driver, PATIENCE)
                .until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    void type(String css, String text) {
        WebElement field = find(css);
        field.clear();
        field.sendKeys(text);
    }

    void click(String css) {
        WebElement element =
                new WebDriverWait(driver, PATIENCE).until(ExpectedConditions.elementToBeClickable(By.cssSelector(css)));
        driver.executeScript("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element);
        element.click();
    }

    /**
     * Opens the mail catcher's inbox again and again until it lists a mail to {@code to} whose
     * subject contains {@code subject}, then opens the newest such mail.
     */
    void openMail(String inboxUrl, String to, String subject) {
        By link = By.xpath("//tr[td[contains(., '" + to + "')]]//a[contains(., '" + subject + "')]");
        new WebDriverWait(driver, PATIENCE, Duration.ofMillis(500)).until(d -> {
            d.get(inboxUrl);
            return !d.findElements(link).isEmpty();
        });
        driver.findElement(link).click();
    }

    /** Chooses the option with this value in a select box. */
    void select(String css, String value) {
        new org.openqa.selenium.support.ui.Select(find(css)).selectByValue(value);
    }

    /** Types keys into the page itself (keyboard shortcuts), not into a field. */
    void press(CharSequence keys) {
        new org.openqa.selenium.interactions.Actions(driver).sendKeys(keys).perform();
    }

    /** The browser's cookies for the current site, as a {@code Cookie} request header. */
    String cookieHeader() {
        return driver.manage().getCookies().stream()
                .map(cookie -> cookie.getName() + "=" + cookie.getValue())
                .collect(java.util.stream.Collectors.joining("; "));
    }

    String attribute(String css, String name) {
        return find(css).getDomAttribute(name);
    }

    /** Whether the element matching {@code css} is the focused one. */
    boolean focused(String css) {
        return driver.switchTo().activeElement().equals(driver.findElement(By.cssSelector(css)));
    }

    /** Waits until the address bar shows a path containing {@code fragment}. */
    void awaitPath(String fragment) {
        new WebDriverWait(driver, PATIENCE).until(d -> d.getCurrentUrl().contains(fragment));
    }

    /** Opens {@code url} again and again (a page that does not refresh itself) until it shows {@code text}. */
    void openUntil(String url, String text) {
        new WebDriverWait(driver, PATIENCE, Duration.ofMillis(500)).until(d -> {
            d.get(url);
            return d.getPageSource().contains(text);
        });
    }

    void awaitText(String text) {
        new WebDriverWait(driver, PATIENCE).until(d -> d.getPageSource().contains(text));
    }

    String url() {
        return driver.getCurrentUrl();
    }

    String text(String css) {
        return find(css).getText();
    }

    /** Saves a full-window screenshot as {@code NN-name.png}. */
    Path screenshot(String name) {
        try {
            Path file = screenshots.resolve(String.format("%02d-%s.png", ++shots, name));
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
        try (var paths = Files.walk(profile)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp folder
        }
    }
}
