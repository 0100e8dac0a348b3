package dev.cachet.cli.simulate.plot;

import dev.cachet.cli.simulate.SimulationResult;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Writes a simulation's hit-ratio chart (hit ratio against cache size, one curve per policy) to
 * a file whose name says the kind: {@code .png} for an image, {@code .html} for a
 * self-contained page with the chart as inline SVG and a table of the numbers.
 */
public final class PlotWriter {
  private PlotWriter() {
  }

  /**
   * Why {@code file} cannot take a plot, or null when it can: its name must end in
   * {@code .png} or {@code .html} (or {@code .htm}), and its folder must exist. Checked before
   * a simulation, so a typo costs no wait.
   */
  public static String problemWith(Path file) {
    if (kind(file) == null) {
      return "cannot write plot " + file + ": its name must end in .png (an image) or .html (a"
          + " page with the chart as SVG)";
    }
    Path folder = file.toAbsolutePath().getParent();
    if (folder != null && !Files.isDirectory(folder)) {
      return "cannot write plot " + file + ": the folder " + folder + " does not exist";
    }
    if (Files.isDirectory(file)) {
      return "cannot write plot " + file + ": it is a directory";
    }
    return null;
  }

  /**
   * Draws the chart of {@code result} into {@code file}, replacing it if it exists.
   *
   * @throws IllegalArgumentException when {@link #problemWith} finds a problem with the name
   * @throws UncheckedIOException when the file cannot be written, or the JVM cannot draw (no
   *     fonts); the message names the file and is meant for the user
   */
  public static void write(SimulationResult result, Path file) {
    String problem = problemWith(file);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    try {
      if (kind(file).equals("png")) {
        writePng(result, file);
      } else {
        Files.writeString(file, HtmlChart.render(result), StandardCharsets.UTF_8);
      }
    } catch (AccessDeniedException e) {
      throw new UncheckedIOException("cannot write plot " + file + ": permission denied", e);
    } catch (NoSuchFileException e) {
      throw new UncheckedIOException("cannot write plot " + file + ": its folder does not"
          + " exist", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write plot " + file + ": " + e.getMessage(), e);
    }
  }

  private static void writePng(SimulationResult result, Path file) throws IOException {
    // A CLI never opens a window; headless also keeps AWT from looking for a display.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    BufferedImage image;
    try {
      image = PngChart.render(result);
    } catch (RuntimeException | LinkageError | InternalError | java.awt.AWTError e) {
      // A JRE without fontconfig or any font fails inside AWT's font manager.
      throw new IOException("Java could not draw the image (" + e + "); install fontconfig and"
          + " a font (such as fonts-dejavu), or write an .html plot instead", e);
    }
    try (var out = Files.newOutputStream(file)) {
      if (!ImageIO.write(image, "png", out)) {
        throw new IOException("this JRE has no PNG writer; write an .html plot instead");
      }
    }
  }

  private static String kind(Path file) {
    Path name = file.getFileName();
    String n = name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
    if (n.endsWith(".png")) {
      return "png";
    }
    return n.endsWith(".html") || n.endsWith(".htm") ? "html" : null;
  }
}
