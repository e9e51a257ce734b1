package io.kizuna.pos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ZXing's own black-box images (../shared/data/barcodes) decode at least as often as ZXing's published pass counts
 * at rotation 0, plain and try-harder, and never to the wrong text.
 */
class ScanImageConformanceTest {

    @ParameterizedTest(name = "{0}: {1} plain, {2} try-harder")
    @CsvSource({"ean13-1, 30, 32", "code128-1, 7, 7", "qrcode-1, 17, 17"})
    void decodesAtLeastAsOftenAsZxingItselfWithoutMisreads(String set, int plainPasses, int tryHarderPasses)
            throws IOException {
        Path folder = SharedData.folder("barcodes/" + set);
        List<String> misreads = new ArrayList<>();
        int plain = 0;
        int tryHarder = 0;
        int images = 0;
        try (Stream<Path> files = Files.list(folder)) {
            for (Path image : files.filter(ScanImageConformanceTest::isImage).sorted().toList()) {
                images++;
                String expected = Files.readString(expectedTextOf(image), StandardCharsets.UTF_8);
                BufferedImage picture = ScanImage.read(Files.readAllBytes(image));
                plain += count(ScanImage.decode(picture, false), expected, image, misreads);
                tryHarder += count(ScanImage.decode(picture, true), expected, image, misreads);
            }
        }
        assertTrue(images > 0, "no images in " + folder);
        System.out.printf("%s: %d images, %d plain, %d try-harder, %d misreads%n", set, images, plain, tryHarder,
                misreads.size());
        assertEquals(List.of(), misreads, "misreads");
        assertTrue(plain >= plainPasses, set + ": " + plain + " of " + images + " decoded plain");
        assertTrue(tryHarder >= tryHarderPasses, set + ": " + tryHarder + " of " + images + " decoded trying harder");
    }

    private static int count(Optional<ScanImage.Decoded> decoded, String expected, Path image, List<String> misreads) {
        if (decoded.isEmpty()) {
            return 0;
        }
        if (!decoded.get().text().equals(expected)) {
            misreads.add(image.getFileName() + " read as " + decoded.get().text());
            return 0;
        }
        return 1;
    }

    private static boolean isImage(Path path) {
        String name = path.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg") || name.endsWith(".gif");
    }

    private static Path expectedTextOf(Path image) {
        String name = image.getFileName().toString();
        return image.resolveSibling(name.substring(0, name.lastIndexOf('.')) + ".txt");
    }
}
