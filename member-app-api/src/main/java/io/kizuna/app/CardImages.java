package io.kizuna.app;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;

import javax.imageio.ImageIO;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.oned.Code128Writer;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import io.kizuna.error.KizunaException;

/**
 * The digital card as a picture: Code 128 or a QR code of the card number, black on white, with the quiet zones
 * scanners need (10 modules each side for Code 128, 4 around a QR code). Digits only, so the QR code stays in
 * numeric mode.
 */
public final class CardImages {
    private static final int CODE128_QUIET_MODULES = 10;
    private static final int QR_QUIET_MODULES = 4;
    private static final int MODULE_PIXELS = 4;
    private static final int BAR_HEIGHT_PIXELS = 160;
    private static final int BLACK = 0xFF000000;
    private static final int WHITE = 0xFFFFFFFF;

    public enum Format {
        CODE128, QR;

        public static Format parse(String text) {
            if (text == null) {
                return CODE128;
            }
            return switch (text.toLowerCase(Locale.ROOT)) {
                case "code128" -> CODE128;
                case "qr" -> QR;
                default -> throw KizunaException.invalid("format is code128 or qr.");
            };
        }
    }

    private CardImages() {
    }

    /** One module per matrix cell, quiet zones included. */
    static BitMatrix matrix(String digits, Format format) {
        try {
            if (format == Format.QR) {
                return new QRCodeWriter().encode(digits, BarcodeFormat.QR_CODE, 0, 0,
                        Map.of(EncodeHintType.MARGIN, QR_QUIET_MODULES,
                                EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M));
            }
            return new Code128Writer().encode(digits, BarcodeFormat.CODE_128, 0, 1,
                    // ZXing counts a one-dimensional margin for both sides together.
                    Map.of(EncodeHintType.MARGIN, 2 * CODE128_QUIET_MODULES));
        } catch (WriterException e) {
            throw new IllegalStateException("A card number always encodes", e);
        }
    }

    public static byte[] png(String digits, Format format) {
        BitMatrix matrix = matrix(digits, format);
        int width = matrix.getWidth() * MODULE_PIXELS;
        int height = format == Format.QR ? matrix.getHeight() * MODULE_PIXELS : BAR_HEIGHT_PIXELS;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_BINARY);
        for (int y = 0; y < height; y++) {
            int row = format == Format.QR ? y / MODULE_PIXELS : 0;
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, matrix.get(x / MODULE_PIXELS, row) ? BLACK : WHITE);
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "PNG", png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return png.toByteArray();
    }

    /** An SVG in module units: a white background and one black rectangle per run of dark modules in a row. */
    public static String svg(String digits, Format format) {
        BitMatrix matrix = matrix(digits, format);
        int width = matrix.getWidth();
        int height = format == Format.QR ? matrix.getHeight() : BAR_HEIGHT_PIXELS / MODULE_PIXELS;
        StringBuilder svg = new StringBuilder()
                .append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" viewBox=\"0 0 ")
                .append(width).append(' ').append(height).append("\" width=\"").append(width * MODULE_PIXELS)
                .append("\" height=\"").append(height * MODULE_PIXELS).append("\" shape-rendering=\"crispEdges\">\n")
                .append("<title>").append(digits).append("</title>\n")
                .append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n")
                .append("<path fill=\"#000000\" d=\"");
        int rows = format == Format.QR ? matrix.getHeight() : 1;
        for (int y = 0; y < rows; y++) {
            int runHeight = format == Format.QR ? 1 : height;
            for (int x = 0; x < width; x++) {
                if (matrix.get(x, y)) {
                    int start = x;
                    while (x + 1 < width && matrix.get(x + 1, y)) {
                        x++;
                    }
                    svg.append('M').append(start).append(' ').append(y).append('h').append(x - start + 1)
                            .append('v').append(runHeight).append('h').append(-(x - start + 1)).append('z');
                }
            }
        }
        return svg.append("\"/>\n</svg>\n").toString();
    }
}
