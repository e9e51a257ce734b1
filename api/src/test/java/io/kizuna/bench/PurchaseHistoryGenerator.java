package io.kizuna.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.UUID;

import io.kizuna.db.UuidConverter;
import org.hipparchus.random.RandomDataGenerator;

/**
 * A year of purchases by a population of members, written as tab-separated files for LOAD DATA: members, sale
 * receipts and their lines, from a seed. Members buy as the BG/NBD story tells it (a personal purchase rate, a
 * personal chance to drop out after each purchase), so that the lifetime-value fit has something real to find;
 * baskets draw SKUs by popularity, and a hundred SKUs pull a partner into the basket often, so that the cross-sell
 * rules have something to find.
 */
final class PurchaseHistoryGenerator {
    static final LocalDate FIRST_DAY = LocalDate.parse("2025-10-01");
    static final int DAYS = 365;
    static final int SKUS = 2_000;
    static final int CATEGORIES = 40;
    static final int STORES = 50;
    private static final int ANCHORS = 100;
    private static final double PARTNER_CHANCE = 0.4;
    private static final int TOKYO_OFFSET_HOURS = 9;
    private static final String[] GENDERS = {"FEMALE", "MALE", "OTHER", "UNDISCLOSED"};
    private static final String[] PREFECTURES = {"Tokyo", "Osaka", "Kanagawa", "Aichi", "Saitama", "Chiba",
            "Hyogo", "Hokkaido", "Fukuoka", "Shizuoka"};

    private final RandomDataGenerator random;
    private final int members;
    private final long targetLines;
    private final long[] skuPrices = new long[SKUS];
    private final String[] skuCodes = new String[SKUS];

    /** What was written. */
    record Written(int members, long receipts, long lines) {
    }

    PurchaseHistoryGenerator(long seed, int members, long targetLines) {
        this.random = new RandomDataGenerator(seed);
        this.members = members;
        this.targetLines = targetLines;
        for (int sku = 0; sku < SKUS; sku++) {
            skuPrices[sku] = 100 + 10 * random.nextInt(0, 140);
            skuCodes[sku] = "49" + String.format("%011d", sku);
        }
    }

    Written write(Path folder) throws IOException {
        Files.createDirectories(folder);
        int[][] purchaseDays = new int[members][];
        long receipts = 0;
        for (int member = 0; member < members; member++) {
            purchaseDays[member] = purchaseDaysOfOneMember();
            receipts += purchaseDays[member].length;
        }
        double extraLinesPerReceipt = Math.max(0, (double) targetLines / receipts - 1);
        long lines = 0;
        long receiptNumber = 0;
        try (BufferedWriter memberRows = Files.newBufferedWriter(folder.resolve("member.tsv"));
             BufferedWriter receiptRows = Files.newBufferedWriter(folder.resolve("receipt.tsv"));
             BufferedWriter lineRows = Files.newBufferedWriter(folder.resolve("receipt_line.tsv"))) {
            HexFormat hex = HexFormat.of();
            for (int member = 0; member < members; member++) {
                String memberId = hex.formatHex(UuidConverter.toBytes(new UUID(random.nextLong(), random.nextLong())));
                int[] days = purchaseDays[member];
                LocalDateTime enrolled = utcAt(days[0], 8);
                memberRows.write(memberId + "\tACTIVE\t" + birthDate() + "\t" + GENDERS[random.nextInt(0, 3)]
                        + "\t" + PREFECTURES[random.nextInt(0, PREFECTURES.length - 1)] + "\t1\t1\t" + enrolled
                        + "\t" + enrolled + "\n");
                for (int day : days) {
                    String receiptId = hex.formatHex(UuidConverter.toBytes(
                            new UUID(random.nextLong(), random.nextLong())));
                    int[] basket = basket(1 + (int) random.nextPoisson(Math.max(0.01, extraLinesPerReceipt)));
                    long total = 0;
                    for (int line = 0; line < basket.length; line++) {
                        int sku = basket[line];
                        total += skuPrices[sku];
                        lineRows.write(receiptId + "\t" + (line + 1) + "\t" + skuCodes[sku] + "\tC" + (sku % CATEGORIES)
                                + "\t1\t" + skuPrices[sku] + "\t" + skuPrices[sku] + "\t0\t1\n");
                    }
                    lines += basket.length;
                    int store = random.nextInt(1, STORES);
                    receiptRows.write(receiptId + "\tSALE\tS" + store + "\t01\t" + FIRST_DAY.plusDays(day) + "\t"
                            + (++receiptNumber) + "\t" + memberId + "\tJPY\t" + total + "\t" + total + "\t"
                            + total / 100 + "\t0\t" + utcAt(day, random.nextInt(7, 22)) + "\n");
                }
            }
        }
        return new Written(members, receipts, lines);
    }

    /** The BG/NBD story forwards: a first purchase day, then exponential waits until dropout or the year's end. */
    private int[] purchaseDaysOfOneMember() {
        double ratePerWeek = random.nextGamma(0.5, 1 / 5.0);
        double dropout = random.nextBeta(0.8, 2.5);
        int first = random.nextInt(0, DAYS - 1);
        int[] days = new int[8];
        int count = 0;
        days[count++] = first;
        double now = first;
        while (true) {
            now += 7 * random.nextExponential(1 / ratePerWeek);
            if (now >= DAYS) {
                break;
            }
            if (count == days.length) {
                days = java.util.Arrays.copyOf(days, count * 2);
            }
            days[count++] = (int) now;
            if (random.nextUniform(0, 1) < dropout) {
                break;
            }
        }
        return java.util.Arrays.copyOf(days, count);
    }

    /** Distinct SKUs, popular ones more often; an anchor SKU brings its partner along now and then. */
    private int[] basket(int size) {
        java.util.LinkedHashSet<Integer> skus = new java.util.LinkedHashSet<>();
        while (skus.size() < size) {
            double u = random.nextUniform(0, 1);
            int sku = (int) (SKUS * u * u * u);
            skus.add(sku);
            if (sku < ANCHORS && skus.size() < size && random.nextUniform(0, 1) < PARTNER_CHANCE) {
                skus.add(SKUS / 2 + sku);
            }
        }
        return skus.stream().mapToInt(Integer::intValue).toArray();
    }

    private LocalDate birthDate() {
        return LocalDate.of(1950 + random.nextInt(0, 55), random.nextInt(1, 12), random.nextInt(1, 28));
    }

    private static LocalDateTime utcAt(int day, int localHour) {
        return FIRST_DAY.plusDays(day).atTime(localHour, 0).minusHours(TOKYO_OFFSET_HOURS)
                .atOffset(ZoneOffset.UTC).toLocalDateTime();
    }
}
