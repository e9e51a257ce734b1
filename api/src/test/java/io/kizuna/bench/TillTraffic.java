package io.kizuna.bench;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.HdrHistogram.Histogram;

/**
 * The till's traffic: what the load harness sends, and how it measures it. One {@link Terminal} is one checkout
 * lane with its own HTTP connection, its own receipt numbers and its own share of the members.
 */
final class TillTraffic {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RETURNABLE_KEPT = 50;

    private TillTraffic() {
    }

    /** What a terminal does over HTTP; each has its own latency histogram. */
    enum Operation {
        SALE("sale"), HOLD("hold"), POINTS_SALE("sale with points"), RETURN("return");

        final String label;

        Operation(String label) {
            this.label = label;
        }
    }

    /** What share of a lane's customers return an earlier sale, and what share pay partly with points. */
    record Mix(double returns, double pointsPayments) {
        /** About one customer in fifty returns something, one in ten pays partly with points. */
        static final Mix REALISTIC = new Mix(0.02, 0.10);
        /** Nothing but plain sales: the database work the plain-JDBC ceiling does too. */
        static final Mix PLAIN_SALES = new Mix(0, 0);
    }

    /** A product as the till knows it: the harness prices it, the server knows its category. */
    record Product(String sku, String category, long unitPrice) {
    }

    record Line(int lineNumber, Product product, int quantity, long discount) {
        long amount() {
            return product.unitPrice() * quantity;
        }

        String json() {
            return "{\"lineNumber\": " + lineNumber + ", \"sku\": \"" + product.sku() + "\", \"quantity\": "
                    + quantity + ", \"unitPrice\": " + product.unitPrice() + ", \"amount\": " + amount()
                    + ", \"discount\": " + discount + "}";
        }
    }

    /** A shopping basket: about five lines (one to ten), a few with a discount. */
    record Basket(List<Line> lines) {
        static Basket random(List<Product> catalogue, Random random) {
            int size = (int) Math.max(1, Math.min(10, Math.round(5 + random.nextGaussian() * 2)));
            List<Line> lines = new ArrayList<>();
            for (int number = 1; number <= size; number++) {
                Product product = catalogue.get(random.nextInt(catalogue.size()));
                int quantity = random.nextInt(10) < 8 ? 1 : 2 + random.nextInt(3);
                long discount = random.nextInt(10) == 0 ? product.unitPrice() * quantity / 10 : 0;
                lines.add(new Line(number, product, quantity, discount));
            }
            return new Basket(List.copyOf(lines));
        }

        long total() {
            return lines.stream().mapToLong(line -> line.amount() - line.discount()).sum();
        }

        String linesJson() {
            return String.join(", ", lines.stream().map(Line::json).toList());
        }
    }

    /** A terminal's key and code, and the member cards that shop at its lane. */
    record Lane(String code, String key, List<String> cards) {
    }

    /** The measured window, in {@link System#nanoTime()}; work finishing outside it is not counted. */
    record Window(long start, long end) {
        static Window after(Duration warmup, Duration measure) {
            long start = System.nanoTime() + warmup.toNanos();
            return new Window(start, start + measure.toNanos());
        }

        boolean contains(long nanos) {
            return nanos >= start && nanos < end;
        }

        boolean isOver() {
            return System.nanoTime() >= end;
        }
    }

    static Histogram newHistogram() {
        return new Histogram(Duration.ofMinutes(1).toNanos(), 3);
    }

    /** Latencies and errors per operation, for one caller, then summed over all of them. */
    static final class Tally {
        final Map<Operation, Histogram> latencyNanos = new EnumMap<>(Operation.class);
        final Map<Operation, Long> errors = new EnumMap<>(Operation.class);
        String firstError;

        Tally() {
            for (Operation operation : Operation.values()) {
                latencyNanos.put(operation, newHistogram());
                errors.put(operation, 0L);
            }
        }

        void completed(Operation operation, long began, long finished, Window window) {
            if (window.contains(finished)) {
                latencyNanos.get(operation).recordValue(finished - began);
            }
        }

        void failed(Operation operation, String error) {
            errors.merge(operation, 1L, Long::sum);
            firstError = firstError == null ? operation.label + ": " + error : firstError;
        }

        void add(Tally other) {
            other.latencyNanos.forEach((operation, histogram) -> latencyNanos.get(operation).add(histogram));
            other.errors.forEach((operation, count) -> errors.merge(operation, count, Long::sum));
            firstError = firstError == null ? other.firstError : firstError;
        }

        Histogram overall() {
            Histogram all = newHistogram();
            latencyNanos.values().forEach(all::add);
            return all;
        }

        long count(Operation operation) {
            return latencyNanos.get(operation).getTotalCount();
        }

        long totalErrors() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** A request the server refused or that never got an answer. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    /**
     * One checkout lane: sells to its own members, now and then pays with their points or takes an earlier sale
     * of its own back, numbering its receipts itself. It remembers each member's balance from the replies, so
     * that it asks for points a member has.
     */
    static final class Terminal implements AutoCloseable {
        private final LaneConnection http;
        private final Lane lane;
        private final List<Product> catalogue;
        private final LocalDate businessDay;
        private final Random random;
        private final long[] knownBalances;
        private final List<SoldReceipt> returnable = new ArrayList<>();
        private final Tally tally = new Tally();
        private final String receiptPrefix;
        private final Mix mix;
        private int receipts;

        private record SoldReceipt(String number, int customer) {
        }

        /** {@code receiptPrefix} keeps apart two simulations of the same lane (the load and the statement trace). */
        Terminal(URI base, Lane lane, List<Product> catalogue, LocalDate businessDay, String receiptPrefix,
                 Mix mix, long seed) {
            this.mix = mix;
            this.http = new LaneConnection(base, lane.key());
            this.receiptPrefix = receiptPrefix;
            this.lane = lane;
            this.catalogue = catalogue;
            this.businessDay = businessDay;
            this.random = new Random(seed);
            this.knownBalances = new long[lane.cards().size()];
        }

        /** Serves customers back to back until the window closes; answers what happened inside it. */
        Tally serve(Window window) {
            return serve(window, Duration.ZERO);
        }

        /**
         * Serves customers until the window closes, a new one arriving every {@code meanInterval} on average
         * (Poisson arrivals; zero for back to back). A customer who arrives while the lane is still busy waits, and
         * the wait counts in the latency: it is measured from the arrival, not from when the request could be sent.
         */
        Tally serve(Window window, Duration meanInterval) {
            long arrival = System.nanoTime() + (long) (random.nextDouble() * meanInterval.toNanos());
            while (!window.isOver()) {
                if (meanInterval.isZero()) {
                    arrival = System.nanoTime();
                } else {
                    waitUntil(arrival);
                }
                double dice = random.nextDouble();
                try {
                    if (dice < mix.returns() && !returnable.isEmpty()) {
                        takeBack(window, arrival);
                    } else if (dice < mix.returns() + mix.pointsPayments() && richestCustomer() >= 0) {
                        sellForPoints(window, arrival);
                    } else {
                        sell(window, arrival);
                    }
                } catch (Refused refused) {
                    // already counted; the next customer comes
                }
                arrival += (long) (-Math.log(1 - random.nextDouble()) * meanInterval.toNanos());
            }
            http.close();
            return tally;
        }

        private static void waitUntil(long nanos) {
            long wait = nanos - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
        }

        /** One plain sale outside any measurement: what the statement comparison records. */
        void sellOnce() throws Refused {
            sell(new Window(Long.MIN_VALUE, Long.MAX_VALUE), System.nanoTime());
        }

        private void sell(Window window, long arrival) throws Refused {
            int customer = random.nextInt(lane.cards().size());
            String number = nextReceiptNumber();
            JsonNode reply = send(Operation.SALE, "/pos/v1/sales", saleJson(number, customer,
                    Basket.random(catalogue, random), ""), window, arrival);
            remember(customer, reply);
            returnable.add(new SoldReceipt(number, customer));
            if (returnable.size() > RETURNABLE_KEPT) {
                returnable.removeFirst();
            }
        }

        /** The hold is timed from the customer's arrival, the sale that follows it from when it is sent. */
        private void sellForPoints(Window window, long arrival) throws Refused {
            int customer = richestCustomer();
            Basket basket = Basket.random(catalogue, random);
            long points = Math.min(Math.min(knownBalances[customer], basket.total()), 1 + random.nextInt(500));
            JsonNode hold = send(Operation.HOLD, "/pos/v1/holds", "{\"card\": \"" + lane.cards().get(customer)
                    + "\", \"points\": " + points + "}", window, arrival);
            long cash = basket.total() - points;
            String tenders = ", \"tenders\": [{\"type\": \"POINTS\", \"amount\": " + points + ", \"holdId\": \""
                    + hold.path("holdId").asText() + "\"}"
                    + (cash > 0 ? ", {\"type\": \"CASH\", \"amount\": " + cash + "}" : "") + "]";
            remember(customer, send(Operation.POINTS_SALE, "/pos/v1/sales",
                    saleJson(nextReceiptNumber(), customer, basket, tenders), window, System.nanoTime()));
        }

        private void takeBack(Window window, long arrival) throws Refused {
            SoldReceipt sold = returnable.remove(random.nextInt(returnable.size()));
            String body = "{\"businessDay\": \"" + businessDay + "\", \"receiptNumber\": \"" + nextReceiptNumber()
                    + "\", \"original\": {\"terminal\": \"" + lane.code() + "\", \"businessDay\": \""
                    + businessDay + "\", \"receiptNumber\": \"" + sold.number() + "\"}}";
            remember(sold.customer(), send(Operation.RETURN, "/pos/v1/returns", body, window, arrival));
        }

        /** A customer of this lane with at least some points, searched from a random place; -1 if none. */
        private int richestCustomer() {
            int from = random.nextInt(knownBalances.length);
            for (int i = 0; i < knownBalances.length; i++) {
                int customer = (from + i) % knownBalances.length;
                if (knownBalances[customer] >= 10) {
                    return customer;
                }
            }
            return -1;
        }

        private void remember(int customer, JsonNode reply) {
            JsonNode available = reply.at("/balance/available");
            if (available.isNumber()) {
                knownBalances[customer] = available.asLong();
            }
        }

        private String nextReceiptNumber() {
            return receiptPrefix + String.format("%08d", ++receipts);
        }

        private String saleJson(String number, int customer, Basket basket, String tenders) {
            return "{\"businessDay\": \"" + businessDay + "\", \"receiptNumber\": \"" + number + "\", \"card\": \""
                    + lane.cards().get(customer) + "\", \"currency\": \"JPY\", \"lines\": [" + basket.linesJson()
                    + "]" + tenders + "}";
        }

        private JsonNode send(Operation operation, String path, String body, Window window, long began)
                throws Refused {
            LaneConnection.Response response;
            try {
                response = http.post(path, body);
            } catch (IOException | RuntimeException e) {
                tally.failed(operation, e.toString());
                throw new Refused(e.toString());
            }
            long finished = System.nanoTime();
            if (response.status() != 201) {
                tally.failed(operation, response.status() + " " + response.body());
                throw new Refused(response.body());
            }
            tally.completed(operation, began, finished, window);
            return parse(response.body());
        }

        @Override
        public void close() {
            http.close();
        }

        private static JsonNode parse(String body) throws Refused {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new Refused("not JSON: " + body);
            }
        }
    }
}
