package dev.schemarehearsal.it;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Headless Chromium (Debian's {@code chromium}) rendering a page to a PNG, and what the picture shows. */
final class Chromium {
    private Chromium() {
    }

    /** Renders the page at the window's size; the machine runs as root, which Chromium's sandbox refuses. */
    static BufferedImage screenshot(Path page, Path png, int width, int height) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(png.getParent(), "chromium-profile");
        Path log = png.resolveSibling(png.getFileName() + ".log");
        Process chromium = new ProcessBuilder("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--hide-scrollbars", "--user-data-dir=" + profile, "--screenshot=" + png,
                "--window-size=" + width + "," + height, page.toUri().toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!chromium.waitFor(2, TimeUnit.MINUTES)) {
            chromium.destroyForcibly();
            throw new AssertionError("chromium did not finish within 2 minutes; its output:\n" + Files.readString(log));
        }
        if (chromium.exitValue() != 0 || !Files.isRegularFile(png)) {
            throw new AssertionError("chromium exited with " + chromium.exitValue() + " and no screenshot; its output:\n"
                    + Files.readString(log));
        }
        return ImageIO.read(png.toFile());
    }

    /** Distinct colours in the image. */
    static int distinctColours(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                colours.add(image.getRGB(x, y) & 0xFFFFFF);
            }
        }
        return colours.size();
    }

    /** Pixels of the region within {@code tolerance} of the colour on each channel. */
    static int pixelsNear(BufferedImage image, int rgb, int tolerance, int top, int bottom) {
        int count = 0;
        for (int y = top; y < Math.min(bottom, image.getHeight()); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int pixel = image.getRGB(x, y);
                if (Math.abs(((pixel >> 16) & 0xFF) - ((rgb >> 16) & 0xFF)) <= tolerance
                        && Math.abs(((pixel >> 8) & 0xFF) - ((rgb >> 8) & 0xFF)) <= tolerance
                        && Math.abs((pixel & 0xFF) - (rgb & 0xFF)) <= tolerance) {
                    count++;
                }
            }
        }
        return count;
    }
}
