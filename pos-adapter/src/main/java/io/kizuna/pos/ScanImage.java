package io.kizuna.pos;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.NotFoundException;
import com.google.zxing.Result;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import io.kizuna.error.ErrorCode;
import io.kizuna.error.KizunaException;

/**
 * Reads a card from a camera picture (PNG or JPEG) with ZXing, looking only for the formats a Kizuna card comes
 * in: EAN-13 on plastic, Code 128 and QR in the app. A quick pass first, then a try-harder pass; light-on-dark
 * (inverted) codes are read too.
 */
public final class ScanImage {
    /** Larger pictures are refused before they are decoded, so that a crafted file cannot exhaust memory. */
    static final int MAX_PIXELS = 4096 * 4096;
    private static final List<BarcodeFormat> CARD_FORMATS =
            List.of(BarcodeFormat.EAN_13, BarcodeFormat.CODE_128, BarcodeFormat.QR_CODE);

    private ScanImage() {
    }

    /** What a picture showed: the code's text and its format. */
    public record Decoded(String text, BarcodeFormat format) {
    }

    /** The card code in the picture; a picture without one is a clear error. */
    public static Decoded decode(byte[] image) {
        BufferedImage picture = read(image);
        return decode(picture, false).or(() -> decode(picture, true)).orElseThrow(() ->
                new KizunaException(ErrorCode.INVALID_CARD_NUMBER, "No card barcode could be read from the image."));
    }

    /** One pass over a picture, quick or trying harder. */
    public static Optional<Decoded> decode(BufferedImage picture, boolean tryHarder) {
        Map<DecodeHintType, Object> hints = new EnumMap<>(DecodeHintType.class);
        hints.put(DecodeHintType.POSSIBLE_FORMATS, CARD_FORMATS);
        hints.put(DecodeHintType.ALSO_INVERTED, Boolean.TRUE);
        if (tryHarder) {
            hints.put(DecodeHintType.TRY_HARDER, Boolean.TRUE);
        }
        BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(picture)));
        MultiFormatReader reader = new MultiFormatReader();
        try {
            Result result = reader.decode(bitmap, hints);
            return Optional.of(new Decoded(result.getText(), result.getBarcodeFormat()));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /** Reads PNG or JPEG after checking its dimensions from the header alone. */
    public static BufferedImage read(byte[] image) {
        try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(image))) {
            Iterator<ImageReader> readers = input == null ? java.util.Collections.emptyIterator()
                    : ImageIO.getImageReaders(input);
            if (!readers.hasNext()) {
                throw notAPicture();
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(input, true, true);
                if ((long) reader.getWidth(0) * reader.getHeight(0) > MAX_PIXELS) {
                    throw KizunaException.invalid("The image is larger than 4096 x 4096 pixels.");
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof KizunaException known) {
                throw known;
            }
            throw notAPicture();
        }
    }

    private static KizunaException notAPicture() {
        return new KizunaException(ErrorCode.INVALID_CARD_NUMBER, "The image is not a readable PNG or JPEG.");
    }
}
