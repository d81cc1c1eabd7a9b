package io.gpureservation.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders the {@code --html} report of worked example 1 (docs/planner.md) in headless Chromium
 * (Debian package {@code chromium}) and checks what a person sees: the DOM the browser built, and
 * the pixels of the chart — demand where the pods ran, none overnight, the proposed windows shaded,
 * the live slots and the target level drawn.
 */
class PlanHtmlChromiumTest {
  @TempDir static Path dir;
  static Path report;
  static Path lendingReport;

  @BeforeAll
  static void writeReport() {
    report = dir.resolve("report.html");
    var r = PlanCommandTest.plan(PlanCommandTest.TIDE.toString(), "--html", report.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    // docs/planner.md "Lending", worked example 5
    lendingReport = dir.resolve("lending.html");
    r =
        PlanCommandTest.plan(
            PlanCommandTest.TIDE.toString(),
            "--html",
            lendingReport.toString(),
            "--borrow-fill",
            "50");
    assertThat(r.exit()).as(r.err()).isZero();
  }

  @Test
  void theBrowserBuildsTheTableAndTheChart() throws Exception {
    String dom = chromium("--dump-dom", report.toUri().toString());
    assertThat(dom)
        .contains("<section class=\"shape\" data-shape=\"inference/L20x1\">")
        .contains("<tr class=\"windowed cheapest\"><td>windowed reservations</td><td>57.60</td>")
        .contains("<tr class=\"resident-pool\"><td>resident pool</td><td>137.04</td>")
        .contains("Cheapest: <strong>windowed reservations</strong>, USD 57.60, saving 72.00");
    // four live intervals: Mon and Tue 08-20 (band 1), Mon 08-12 and Tue 14-18 (band 2)
    assertThat(count(dom, "<rect class=\"window\"")).isEqualTo(4);
    assertThat(count(dom, "<path class=\"demand\"")).isEqualTo(1);
    assertThat(count(dom, "<path class=\"live-slots\"")).isEqualTo(1);
    assertThat(count(dom, "<line class=\"target-level\"")).isEqualTo(1);
    assertThat(dom).contains(">Tue 11-03</text>");
    assertThat(dom)
        .contains(
            "<tr><td>always-on reservation</td><td>Idle slots</td><td>40.000000 slot-hour</td>"
                + "<td>0.54</td><td>21.600000</td></tr>");
  }

  @Test
  void withoutABorrowFillTheBrowserShowsNoLendingColumn() throws Exception {
    String dom = chromium("--dump-dom", report.toUri().toString());
    assertThat(dom).doesNotContain("lending");
    assertThat(cellsPerOptionRow(dom)).containsOnly(5);
  }

  @Test
  void theBrowserBuildsTheLendingColumnAndEstimate() throws Exception {
    String dom = chromium("--dump-dom", lendingReport.toUri().toString());
    assertThat(dom)
        .contains("<th>breaks even at</th><th>lending earns</th></tr>")
        .contains(
            "<tr class=\"always-on\"><td>always-on reservation</td><td>79.20</td>"
                + "<td>+21.60</td><td>44.4 %</td><td>100.0 %</td>"
                + "<td class=\"lending\">21.60</td></tr>")
        .contains(
            "<tr class=\"windowed cheapest\"><td>windowed reservations</td><td>57.60</td>"
                + "<td>+0.00</td><td>100.0 %</td><td>100.0 %</td>"
                + "<td class=\"lending\">0.00</td></tr>")
        .contains(
            "<tr class=\"resident-pool\"><td>resident pool</td><td>137.04</td><td>+79.44</td>"
                + "<td>44.4 %</td><td>never</td><td class=\"lending\">-</td></tr>")
        .contains(
            "<div class=\"lending\">\n<p>lending: borrowers fill 50 % of the idle reserved"
                + " slot time, at 1.08/slot-hour (catalog lending rate)</p>")
        .contains(
            "<li>always-on reservation: 20 of 40 idle slot-hours lent; borrowers pay USD 21.60,"
                + " the owner pays USD 10.80 less for idle slots</li>")
        // the plan's own figures are those of the report without lending
        .contains("Cheapest: <strong>windowed reservations</strong>, USD 57.60, saving 72.00");
    // the header and every option row have the sixth cell, so no column shifts
    assertThat(cellsPerOptionRow(dom)).containsOnly(6);
  }

  // cells of each row of the options table (the floor and the four options), in the browser's DOM
  private static List<Integer> cellsPerOptionRow(String dom) {
    Matcher row =
        Pattern.compile(
                "<tr class=\"(?:pay-as-you-go|warm-pods|always-on|windowed|resident-pool)"
                    + "[^\"]*\">(.*?)</tr>")
            .matcher(dom);
    List<Integer> cells = new ArrayList<>();
    while (row.find()) {
      cells.add(count(row.group(1), "<td"));
    }
    assertThat(cells).as("five option rows").hasSize(5);
    return cells;
  }

  @Test
  void theChartShowsDemandWindowsLiveSlotsAndTarget() throws Exception {
    Path png = dir.resolve("report.png");
    chromium("--window-size=1100,1000", "--screenshot=" + png, report.toUri().toString());
    BufferedImage image = ImageIO.read(png.toFile());
    List<Integer> demandColumns = columnsWith(image, PlanChart.DEMAND_FILL);
    assertThat(demandColumns).as("demand drawn").isNotEmpty();
    int left = demandColumns.get(0);
    int right = demandColumns.get(demandColumns.size() - 1);
    int width = right - left;
    // the plot is 890 px wide; pods run Mon 08-20 and Tue 08-20 of a 36 h span from Mon 08:00
    assertThat(width).isBetween(860, 895);
    assertThat(demandColumns)
        .as("no demand overnight, Mon 21:00 to Tue 07:00")
        .noneMatch(x -> x > left + width * 13 / 36 && x < left + width * 23 / 36);
    assertThat(demandColumns.stream().filter(x -> x < left + width / 3).count()).isGreaterThan(250);
    assertThat(pixels(image, overWhite(PlanChart.WINDOW_COLOR, 0.35), 6))
        .as("proposed windows shaded")
        .isGreaterThan(2000);
    assertThat(pixels(image, PlanChart.LIVE_COLOR, 30)).as("live slots").isGreaterThan(300);
    assertThat(pixels(image, PlanChart.LEVEL_COLOR, 30)).as("target level").isGreaterThan(300);
    assertThat(pixels(image, "#e5f5e0", 4)).as("cheapest row highlighted").isGreaterThan(2000);
  }

  private static String chromium(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("chromium");
    command.addAll(
        List.of(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--user-data-dir=" + Files.createTempDirectory(dir, "chromium")));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "chromium", ".out");
    Process process;
    try {
      process =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
    } catch (IOException e) {
      throw new AssertionError("chromium is needed: apt-get install -y chromium", e);
    }
    assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("chromium finished").isTrue();
    assertThat(process.exitValue()).isZero();
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  private static int count(String text, String needle) {
    Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  private static List<Integer> columnsWith(BufferedImage image, String color) {
    List<Integer> columns = new ArrayList<>();
    for (int x = 0; x < image.getWidth(); x++) {
      for (int y = 0; y < image.getHeight(); y++) {
        if (near(image.getRGB(x, y), color, 6)) {
          columns.add(x);
          break;
        }
      }
    }
    return columns;
  }

  private static long pixels(BufferedImage image, String color, int tolerance) {
    long n = 0;
    for (int x = 0; x < image.getWidth(); x++) {
      for (int y = 0; y < image.getHeight(); y++) {
        if (near(image.getRGB(x, y), color, tolerance)) {
          n++;
        }
      }
    }
    return n;
  }

  // the colour a fill of this opacity shows on the white page
  private static String overWhite(String color, double opacity) {
    int c = Integer.parseInt(color.substring(1), 16);
    int rgb = 0;
    for (int shift = 16; shift >= 0; shift -= 8) {
      int channel = (c >> shift) & 0xff;
      rgb |= (int) Math.round(255 - opacity * (255 - channel)) << shift;
    }
    return String.format("#%06x", rgb);
  }

  private static boolean near(int rgb, String color, int tolerance) {
    int c = Integer.parseInt(color.substring(1), 16);
    return Math.abs(((rgb >> 16) & 0xff) - ((c >> 16) & 0xff)) <= tolerance
        && Math.abs(((rgb >> 8) & 0xff) - ((c >> 8) & 0xff)) <= tolerance
        && Math.abs((rgb & 0xff) - (c & 0xff)) <= tolerance;
  }
}
