package io.kizuna.analytics;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.UUID;

/**
 * What the recompute keeps per member, in primitive arrays indexed by the member's place in id order: a million
 * members take a few tens of megabytes, not a million objects. Ids are the two halves of the BINARY(16) id, so
 * comparing them unsigned is the database's byte order.
 */
final class MemberTable {
    int size;
    long[] idHigh = new long[1024];
    long[] idLow = new long[1024];
    int[] orders = new int[1024];
    long[] spend = new long[1024];
    /** First and last purchase day (epoch day, program zone), number of purchase days, spend after the first day. */
    int[] firstDay = new int[1024];
    int[] lastDay = new int[1024];
    int[] days = new int[1024];
    long[] repeatSpend = new long[1024];
    /** RFM results; a recency score of 0 means the member was not scored. */
    int[] recencyDays;
    byte[] recencyScore;
    byte[] frequencyScore;
    byte[] monetaryScore;
    byte[] segment;
    /** Lifetime-value results; NaN where no model or no answer. */
    double[] probabilityAlive;
    double[] expectedPurchases;
    double[] predictedValue;

    int add(byte[] id, int memberOrders, long memberSpend) {
        if (size == idHigh.length) {
            int grown = size * 2;
            idHigh = Arrays.copyOf(idHigh, grown);
            idLow = Arrays.copyOf(idLow, grown);
            orders = Arrays.copyOf(orders, grown);
            spend = Arrays.copyOf(spend, grown);
            firstDay = Arrays.copyOf(firstDay, grown);
            lastDay = Arrays.copyOf(lastDay, grown);
            days = Arrays.copyOf(days, grown);
            repeatSpend = Arrays.copyOf(repeatSpend, grown);
        }
        ByteBuffer buffer = ByteBuffer.wrap(id);
        idHigh[size] = buffer.getLong();
        idLow[size] = buffer.getLong();
        orders[size] = memberOrders;
        spend[size] = memberSpend;
        return size++;
    }

    /** Sized arrays for the results, once every member is in. */
    void prepareResults() {
        recencyDays = new int[size];
        recencyScore = new byte[size];
        frequencyScore = new byte[size];
        monetaryScore = new byte[size];
        segment = new byte[size];
        probabilityAlive = filled(size);
        expectedPurchases = filled(size);
        predictedValue = filled(size);
    }

    /** Compares member {@code index} with the id {@code high, low}, unsigned as the database orders BINARY(16). */
    int compare(int index, long high, long low) {
        int order = Long.compareUnsigned(idHigh[index], high);
        return order != 0 ? order : Long.compareUnsigned(idLow[index], low);
    }

    byte[] idBytes(int index) {
        return ByteBuffer.allocate(16).putLong(idHigh[index]).putLong(idLow[index]).array();
    }

    UUID id(int index) {
        return new UUID(idHigh[index], idLow[index]);
    }

    /** The name the pure computations know member {@code index} by: zero-padded, so names sort as indexes do. */
    static String name(int index) {
        return String.format("%010d", index);
    }

    static int index(String name) {
        return Integer.parseInt(name);
    }

    private static double[] filled(int size) {
        double[] values = new double[size];
        Arrays.fill(values, Double.NaN);
        return values;
    }
}
