package dev.orbit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The admin console in a real browser: Debian's Chromium, headless, driven through its ChromeDriver (both at
 * their system paths; nothing is downloaded), against a gateway on SQLite with the mock provider, audit and quotas
 * (throttling) on.
 * An operator signs in and goes through every page; then a user without a page's permission does not see it.
 * Every page is saved as a screenshot under {@code target/console-screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
    private static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Paths.get("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Paths.get("target", "console-screenshots");
    /** Bounds a failure only; a page normally answers in milliseconds. */
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private Orbit orbit;
    private WebDriver browser;
    private WebDriverWait wait;
    private String base;
    /** The key created on the keys page, read from the page the one time it is shown. */
    private String createdKey;

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Chromium and ChromeDriver are not installed (apt-get install chromium chromium-driver; .ci/run does)");
        orbit = Orbit.start(TestBackend.SQLITE, dir, null,
                """
                internal_services: {audit: {enabled: true, flush_interval_ms: 20}}
                security: {throttling: {enabled: true, default_quotas: {daily_limit: 10000, monthly_limit: 100000}}}
                """);
        base = "http://127.0.0.1:" + orbit.gateway().port();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=1280,900", "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium")));
        // The driver is named, so Selenium Manager is never asked to find (or download) one.
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, PATIENCE);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    void stop() {
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            if (orbit != null) {
                orbit.close();
            }
        }
    }

    private void screenshot(String name) {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        try {
            Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Scrolls the element to the top of the window, for a screenshot of a part below the fold. */
    private void scrollTo(WebElement element) {
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView(true)", element);
    }

    private WebElement visible(By by) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    private void open(String page) {
        visible(By.id("nav-" + page)).click();
        visible(By.id("page-" + page));
    }

    private void type(WebElement input, String text) {
        input.clear();
        input.sendKeys(text);
    }

    /** Fills the form's fields by name (name, value, name, value, ...) and submits it. */
    private void submit(WebElement form, String... namesAndValues) {
        for (int i = 0; i < namesAndValues.length; i += 2) {
            type(form.findElement(By.name(namesAndValues[i])), namesAndValues[i + 1]);
        }
        form.findElement(By.cssSelector("button[type=submit]")).click();
    }

    private void signIn(String username, String password) {
        browser.manage().deleteAllCookies();
        browser.get(base + "/admin");
        wait.until(ExpectedConditions.urlContains("/admin/login"));
        type(visible(By.id("username")), username);
        type(browser.findElement(By.id("password")), password);
        browser.findElement(By.id("sign-in")).click();
        visible(By.cssSelector("#nav a"));
    }

    private JsonNode api(String path) {
        Reply reply = orbit.get(path).bearer(orbit.adminToken()).send();
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json();
    }

    @Test
    @Order(1)
    void anOperatorSignsInAndSeesTheOverview() {
        browser.get(base + "/admin");
        wait.until(ExpectedConditions.urlContains("/admin/login"));
        screenshot("01-sign-in");
        type(visible(By.id("username")), "admin");
        type(browser.findElement(By.id("password")), "not-the-password");
        browser.findElement(By.id("sign-in")).click();
        assertThat(visible(By.id("login-error")).getText()).isEqualTo(ConsoleRoutes.INVALID_LOGIN);

        signIn("admin", Orbit.ADMIN_PASSWORD);

        WebElement page = visible(By.id("page-overview"));
        wait.until(d -> page.getText().contains("Rows per collection"));
        assertThat(page.getText()).contains("sqlite").contains("api_keys").contains("Chat is running");
        assertThat(browser.manage().getCookieNamed("dashboard_token").isHttpOnly()).isTrue();
        assertThat(((JavascriptExecutor) browser).executeScript("return document.cookie")).isEqualTo("");
        screenshot("02-overview");
    }

    @Test
    @Order(2)
    void theOperatorCreatesAUser() {
        open("users");
        WebElement form = visible(By.id("create-user"));
        new Select(form.findElement(By.name("role"))).selectByValue("analyst");
        submit(form, "username", "carol", "password", "carol-password1");

        wait.until(d -> form.getText().contains("Created user carol"));
        wait.until(d -> d.findElement(By.id("user-list")).getText().contains("carol"));
        screenshot("03-users");
        submit(form, "username", "carol", "password", "carol-password2");
        // The API's refusal is shown in the form where it was sent.
        wait.until(d -> form.findElement(By.cssSelector(".message.error")).getText().contains("already exists"));
        assertThat(StreamSupport.stream(api("/auth/users").spliterator(), false)
                .filter(u -> u.get("username").textValue().equals("carol"))
                .map(u -> u.get("roles").get(0).textValue())).containsExactly("analyst");
    }

    @Test
    @Order(3)
    void theOperatorCreatesAKeyAndReadsItOnce() {
        open("keys");
        WebElement form = visible(By.id("create-key"));
        submit(form, "client_name", "browser client", "adapter_name", Orbit.ADAPTER);
        createdKey = visible(By.id("new-key")).getDomProperty("value");
        visible(By.id("copy-key")).click();
        screenshot("04-keys-created");

        assertThat(createdKey).startsWith("orbit_");
        String masked = "***" + createdKey.substring(createdKey.length() - 4);
        wait.until(d -> d.findElement(By.id("key-list")).getText().contains(masked));
        // Quotas are on: the new key's row counts today's requests from 0.
        assertThat(browser.findElement(By.xpath("//tr[td[text()='" + masked + "']]/td[@data-label='Used today']"))
                .getText()).isEqualTo("0");
        open("overview");
        open("keys");
        wait.until(d -> d.findElement(By.id("key-list")).getText().contains(masked));
        assertThat(browser.findElements(By.id("new-key"))).isEmpty();
        assertThat(browser.getPageSource()).doesNotContain(createdKey);
        screenshot("05-keys");
    }

    @Test
    @Order(4)
    void theOperatorEditsAPrompt() {
        open("prompts");
        WebElement form = visible(By.id("create-prompt"));
        submit(form, "name", "greeter", "prompt", "You are terse.");
        wait.until(d -> d.findElement(By.id("prompt-list")).getText().contains("greeter"));

        browser.findElement(By.xpath("//button[text()='Edit greeter']")).click();
        WebElement text = visible(By.id("prompt-text"));
        assertThat(browser.findElement(By.id("prompt-version")).getDomProperty("value")).isEqualTo("1.0");
        type(text, "You are terse and kind.");
        browser.findElement(By.id("save-prompt")).click();
        wait.until(d -> d.findElement(By.id("prompt-panel")).getText().contains("Saved as version 1.1"));
        screenshot("06-prompts");

        JsonNode prompt = api("/admin/prompts?name_filter=greeter").get(0);
        assertThat(prompt.get("prompt").textValue()).isEqualTo("You are terse and kind.");
        assertThat(prompt.get("version").textValue()).isEqualTo("1.1");
    }

    @Test
    @Order(5)
    void theOperatorChatsInThePlaygroundAndTheReplyStreams() {
        open("playground");
        type(visible(By.id("play-key")), createdKey);
        type(browser.findElement(By.id("play-session")), "browser-session");
        type(browser.findElement(By.id("play-message")), "hello from the browser");
        browser.findElement(By.id("play-send")).click();

        WebElement reply = visible(By.cssSelector("#play-log li.msg.assistant.done"));
        assertThat(reply.findElement(By.className("content")).getText()).isEqualTo("Echo: hello from the browser");
        assertThat(Integer.parseInt(reply.getDomAttribute("data-pieces"))).isGreaterThan(1);
        screenshot("07-playground");
        assertThat(api("/admin/chat-history/browser-session").get("count").intValue()).isEqualTo(2);
    }

    @Test
    @Order(6)
    void theOperatorFindsThatConversation() {
        open("conversations");
        WebElement form = visible(By.id("find-sessions"));
        submit(form, "api_key", createdKey);
        // The page lists every session when it opens and again once filtered: a button found in the first list may
        // be replaced before the click lands, so the click is retried on the list in place.
        wait.until(d -> {
            try {
                d.findElement(By.xpath("//button[text()='browser-session']")).click();
                return true;
            } catch (org.openqa.selenium.NoSuchElementException | org.openqa.selenium.StaleElementReferenceException e) {
                return false;
            }
        });

        WebElement transcript = visible(By.id("transcript"));
        List<WebElement> messages = transcript.findElements(By.tagName("li"));
        assertThat(messages).hasSize(2);
        assertThat(messages.get(0).getText()).contains("hello from the browser").contains("tokens");
        assertThat(messages.get(1).getText()).contains("Echo: hello from the browser");
        screenshot("08-conversations");
    }

    @Test
    @Order(7)
    void theOperatorSeesTheAuditEventsOfAllOfThis() {
        open("audit");
        WebElement list = visible(By.id("audit-list"));
        WebElement filter = browser.findElement(By.cssSelector("#audit-filters button[type=submit]"));
        // The chat record is written off the request path: refilter until it is there.
        wait.until(d -> {
            if (!list.getText().contains("chat.request")) {
                filter.click();
                return false;
            }
            return true;
        });
        assertThat(list.getText()).contains("auth.login", "auth.user.create", "admin.api_key.create",
                "admin.prompt.create", "admin.prompt.update", "chat.request", "auth.login_failed");
        screenshot("09-audit");
    }

    @Test
    @Order(8)
    void theOperatorSeesTheUsageChartAndTables() {
        open("usage");
        wait.until(d -> d.findElement(By.id("usage-totals")).getText().contains("1 requests"));
        assertThat(browser.findElements(By.cssSelector("svg.chart rect.bar"))).isNotEmpty();
        assertThat(browser.findElement(By.id("page-usage")).getText()).contains("browser client");
        screenshot("10-usage");
    }

    /** The text of the overview's figure with this label (a {@code dd} after its {@code dt}). */
    private String figure(String label) {
        return browser.findElement(By.xpath("//dt[text()='" + label + "']/following-sibling::dd[1]")).getText();
    }

    @Test
    @Order(9)
    void theOverviewShowsTheChatTrafficFromTheMetrics() {
        open("overview");
        visible(By.id("traffic"));
        wait.until(d -> !d.findElements(By.xpath("//dt[text()='Chat requests']")).isEmpty());
        // The playground's one chat; the sign-in, pages and API calls are other routes.
        assertThat(figure("Chat requests")).isEqualTo("1");
        assertThat(Double.parseDouble(figure("Chats per minute (average since start)"))).isPositive();
        String errorRate = figure("Error rate (last minute, all routes)");
        assertThat(errorRate).matches("\\d+\\.\\d %");
        assertThat(Double.parseDouble(errorRate.replace(" %", ""))).isBetween(0.0, 100.0);
        assertThat(Long.parseLong(figure("Requests since start"))).isPositive();
        scrollTo(browser.findElement(By.id("traffic")));
        screenshot("11-overview-traffic");
    }

    @Test
    @Order(10)
    void theOperatorPausesAndResumesChatFromTheOverview() {
        open("overview");
        WebElement state = visible(By.id("pause-state"));
        wait.until(d -> state.getText().equals("Chat is running."));
        visible(By.id("pause")).click();
        wait.until(d -> state.getText().startsWith("Chat is paused"));
        assertThat(api("/admin/info").get("status").textValue()).isEqualTo("paused");
        Reply refused = orbit.post("/v1/chat").apiKey(createdKey).session("paused-session")
                .json(Map.of("messages", List.of(Map.of("role", "user", "content", "hi")))).send();
        assertThat(refused.status()).isEqualTo(503);

        // Coming back to the overview shows the server's state, not the page's memory of the click.
        open("keys");
        open("overview");
        WebElement again = visible(By.id("pause-state"));
        wait.until(d -> again.getText().startsWith("Chat is paused"));
        assertThat(browser.findElement(By.id("pause")).isDisplayed()).isFalse();
        scrollTo(again);
        screenshot("12-overview-paused");
        visible(By.id("resume")).click();
        wait.until(d -> again.getText().equals("Chat is running."));
        assertThat(api("/admin/info").get("status").textValue()).isEqualTo("running");
    }

    @Test
    @Order(11)
    void theOperatorAddsAndDeletesABlacklistRule() {
        open("users");
        WebElement form = visible(By.id("blacklist-form"));
        new Select(form.findElement(By.name("entry_type"))).selectByValue("email");
        submit(form, "pattern", "*@blocked.example", "reason", "spam");
        WebElement rules = visible(By.id("blacklist"));
        wait.until(d -> rules.getText().contains("*@blocked.example"));
        assertThat(rules.getText()).contains("spam");
        JsonNode stored = api("/auth/blacklist");
        assertThat(stored).hasSize(1);
        assertThat(stored.get(0).get("pattern").textValue()).isEqualTo("*@blocked.example");
        assertThat(stored.get(0).get("entry_type").textValue()).isEqualTo("email");
        scrollTo(form);
        screenshot("13-users-blacklist");

        rules.findElement(By.xpath(".//button[text()='Remove *@blocked.example']")).click();
        wait.until(d -> !d.findElement(By.id("blacklist")).getText().contains("*@blocked.example"));
        assertThat(api("/auth/blacklist")).isEmpty();
    }

    @Test
    @Order(12)
    void theOperatorSetsAKeysDailyQuotaAndSeesTodaysUsage() {
        String masked = "***" + createdKey.substring(createdKey.length() - 4);
        // An unused key with the same masked form: the usage column matches keys by id, not by "***" + last 4.
        String twin = orbit.createKey(Orbit.ADAPTER);
        Reply renamed = orbit.patch("/admin/api-keys/" + twin + "/rename").bearer(orbit.adminToken())
                .json(java.util.Map.of("new_api_key",
                        "orbit_Tw1nOfTheBr0wserKeyXq9" + createdKey.substring(createdKey.length() - 4)))
                .send();
        assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
        open("keys");
        WebElement list = visible(By.id("key-list"));
        By row = By.xpath("//tr[td[@data-label='Key' and text()='" + masked + "'] and td[@data-label='Client' and "
                + "text()='browser client']]");
        By twinRow = By.xpath("//tr[td[@data-label='Key' and text()='" + masked + "'] and td[@data-label='Client' and "
                + "text()='test client']]");
        wait.until(d -> !d.findElements(row).isEmpty() && !d.findElements(twinRow).isEmpty());
        // The playground's chat, counted against the key's quota; the twin has none.
        assertThat(list.findElement(row).findElement(By.cssSelector("td[data-label='Used today']")).getText())
                .isEqualTo("1");
        assertThat(list.findElement(twinRow).findElement(By.cssSelector("td[data-label='Used today']")).getText())
                .isEqualTo("0");
        list.findElement(row).findElement(By.xpath(".//button[text()='Manage']")).click();
        WebElement usage = visible(By.id("quota-usage"));
        // The configured default quotas apply to a key without its own.
        assertThat(usage.getText()).isEqualTo("Used today: 1 of 10000; this month: 1 of 100000.");

        submit(visible(By.id("quota-form")), "daily_limit", "50");
        wait.until(d -> d.findElement(By.id("quota-usage")).getText().startsWith("Used today: 1 of 50;"));
        JsonNode quota = api("/admin/api-keys/" + createdKey + "/quota");
        assertThat(quota.get("quota").get("daily_limit").longValue()).isEqualTo(50);
        assertThat(quota.get("quota").get("monthly_limit").longValue()).isEqualTo(100_000);
        screenshot("14-keys-quota");

        browser.findElement(By.id("quota-reset")).click();
        wait.until(d -> d.findElement(By.id("quota-usage")).getText().startsWith("Used today: 0 of 50;"));
        assertThat(api("/admin/api-keys/" + createdKey + "/quota").get("usage").get("daily_used").longValue()).isZero();
        wait.until(d -> d.findElement(By.id("key-list")).findElement(row)
                .findElement(By.cssSelector("td[data-label='Used today']")).getText().equals("0"));

        // 0 is the editor's "unlimited".
        submit(browser.findElement(By.id("quota-form")), "daily_limit", "0");
        wait.until(d -> d.findElement(By.id("quota-usage")).getText().startsWith("Used today: 0 of unlimited;"));
    }

    @Test
    @Order(13)
    void thePagesAreReadableOnAPhone() {
        browser.manage().window().setSize(new Dimension(390, 844));
        try {
            open("keys");
            wait.until(d -> d.findElement(By.id("key-list")).getText().contains("browser client"));
            Object overflow = ((JavascriptExecutor) browser)
                    .executeScript("return document.documentElement.scrollWidth > window.innerWidth");
            assertThat(overflow).isEqualTo(false);
            screenshot("15-keys-phone");
        } finally {
            browser.manage().window().setSize(new Dimension(1280, 900));
        }
    }

    @Test
    @Order(14)
    void signingOutEndsTheSession() {
        visible(By.id("sign-out")).click();
        wait.until(ExpectedConditions.urlContains("/admin/login"));
        browser.get(base + "/admin");
        wait.until(ExpectedConditions.urlContains("/admin/login"));
    }

    @Test
    @Order(15)
    void aUserWithoutAPagesPermissionDoesNotSeeIt() {
        signIn("carol", "carol-password1");

        List<String> pages = browser.findElements(By.cssSelector("#nav a")).stream().map(WebElement::getText).toList();
        assertThat(pages).containsExactly("Conversations");
        visible(By.id("page-conversations"));
        browser.get(base + "/admin#/users");
        assertThat(visible(By.id("no-access")).getText()).contains("Users");
        assertThat(browser.findElements(By.id("create-user"))).isEmpty();
        screenshot("16-no-access");
    }
}
