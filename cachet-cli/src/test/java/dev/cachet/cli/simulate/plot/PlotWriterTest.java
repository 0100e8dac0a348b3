package dev.cachet.cli.simulate.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cachet.cli.simulate.SimulatedPolicy;
import dev.cachet.cli.simulate.SimulationResult;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotWriterTest {
  @TempDir
  Path dir;

  /** Four policies at four sizes of a 1,000-access trace, as a simulation would report. */
  private static SimulationResult result() {
    Map<SimulatedPolicy, long[]> hits = new EnumMap<>(SimulatedPolicy.class);
    hits.put(SimulatedPolicy.LRU, new long[] {10, 95, 112, 574});
    hits.put(SimulatedPolicy.LFU, new long[] {80, 150, 300, 560});
    hits.put(SimulatedPolicy.ADAPTIVE, new long[] {155, 284, 421, 579});
    hits.put(SimulatedPolicy.OPT, new long[] {176, 342, 531, 579});
    return new SimulationResult("gli <&> trace.gz", 1000, 400,
        List.of(SimulatedPolicy.LRU, SimulatedPolicy.LFU, SimulatedPolicy.ADAPTIVE,
            SimulatedPolicy.OPT),
        List.of(250, 500, 1000, 2000), hits);
  }

  @Test
  void aPngIsWrittenThatDecodesAtTheChartsSize() throws Exception {
    Path file = dir.resolve("gli.png");

    PlotWriter.write(result(), file);

    BufferedImage image = ImageIO.read(file.toFile());
    assertThat(image).isNotNull();
    assertThat(image.getWidth()).isEqualTo(PngChart.WIDTH);
    assertThat(image.getHeight()).isEqualTo(PngChart.HEIGHT);
    // Drawn on, not blank: the curves' colours appear.
    assertThat(distinctColours(image)).isGreaterThan(20);
  }

  @Test
  void anHtmlPageHasOneCurvePerPolicyAndNothingExternal() throws Exception {
    Path file = dir.resolve("gli.html");

    PlotWriter.write(result(), file);

    String html = Files.readString(file);
    assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg", "</svg>", "</html>");
    Matcher curve = Pattern.compile("<g class=\"curve\" data-policy=\"(\\w+)\"").matcher(html);
    List<String> curves = curve.results().map(m -> m.group(1)).toList();
    assertThat(curves).containsExactly("LRU", "LFU", "ADAPTIVE", "OPT");
    // Four points per curve, each with its exact ratio as a tooltip.
    assertThat(html).contains("<title>ADAPTIVE at 1,000 entries: 42.10%</title>",
        "<title>OPT (optimal) at 2,000 entries: 57.90%</title>");
    assertThat(html).contains("cache size (entries, log scale)", "hit ratio", "60%",
        ">policy<", "gli &lt;&amp;&gt; trace.gz");
    // The SVG namespace is a name, not a link: nothing is fetched from it.
    assertThat(html.replace("xmlns=\"http://www.w3.org/2000/svg\"", ""))
        .doesNotContain("<script", "http://", "https://", "@import", "url(", "<link")
        .doesNotContain("gli <&>");
  }

  @Test
  void theHitRatioAxisEndsAtARoundValueAboveTheBestCurve() throws Exception {
    Path file = dir.resolve("gli.html");

    PlotWriter.write(result(), file);

    String html = Files.readString(file);
    // The best ratio is 57.9%: ticks every 10% up to 60%, none beyond.
    assertThat(html).contains(">0%<", ">10%<", ">60%<").doesNotContain(">70%<");
  }

  @Test
  void oneSizeAloneStillPlots() throws Exception {
    Map<SimulatedPolicy, long[]> hits = new EnumMap<>(SimulatedPolicy.class);
    hits.put(SimulatedPolicy.LRU, new long[] {0});
    SimulationResult single = new SimulationResult("t", 10, 10, List.of(SimulatedPolicy.LRU),
        List.of(5), hits);

    PlotWriter.write(single, dir.resolve("one.png"));
    PlotWriter.write(single, dir.resolve("one.html"));

    assertThat(ImageIO.read(dir.resolve("one.png").toFile())).isNotNull();
    assertThat(Files.readString(dir.resolve("one.html")))
        .contains("data-policy=\"LRU\"", "cache size (entries)");
  }

  @Test
  void aCurveHiddenUnderAnEqualOneIsNamedInTheLegend() throws Exception {
    Map<SimulatedPolicy, long[]> hits = new EnumMap<>(SimulatedPolicy.class);
    hits.put(SimulatedPolicy.LRU, new long[] {0, 500});
    hits.put(SimulatedPolicy.FIFO, new long[] {0, 500});
    hits.put(SimulatedPolicy.OPT, new long[] {400, 500});
    SimulationResult loop = new SimulationResult("loop", 1000, 100,
        List.of(SimulatedPolicy.LRU, SimulatedPolicy.FIFO, SimulatedPolicy.OPT),
        List.of(90, 110), hits);

    PlotWriter.write(loop, dir.resolve("loop.html"));

    assertThat(Files.readString(dir.resolve("loop.html")))
        .contains(">LRU (under FIFO)</text>", ">FIFO</text>", ">OPT (optimal)</text>");
  }

  @Test
  void otherNamesAndMissingFoldersAreRefusedWithTheReason() {
    Path svg = dir.resolve("gli.svg");
    Path nowhere = dir.resolve("missing").resolve("gli.png");

    assertThat(PlotWriter.problemWith(svg)).isEqualTo("cannot write plot " + svg + ": its name"
        + " must end in .png (an image) or .html (a page with the chart as SVG)");
    assertThat(PlotWriter.problemWith(nowhere)).isEqualTo("cannot write plot " + nowhere
        + ": the folder " + nowhere.getParent() + " does not exist");
    assertThat(PlotWriter.problemWith(dir.resolve("GLI.PNG"))).isNull();
    assertThatThrownBy(() -> PlotWriter.write(result(), svg))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must end in .png");
  }

  private static int distinctColours(BufferedImage image) {
    java.util.Set<Integer> colours = new java.util.HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 2) {
      for (int x = 0; x < image.getWidth(); x += 2) {
        colours.add(image.getRGB(x, y));
      }
    }
    return colours.size();
  }
}
