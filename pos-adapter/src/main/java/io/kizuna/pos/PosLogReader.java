package io.kizuna.pos;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import io.kizuna.error.ErrorCode;
import io.kizuna.error.KizunaException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * Reads ARTS POSLog, one transaction or a whole business day, whatever the vendor's dialect: elements are matched
 * by local name (namespaces differ by vendor) and unknown vendor extensions are ignored. Documents with a DOCTYPE
 * are refused outright, which rules out external entities and entity expansion.
 */
public final class PosLogReader {
    private final List<String> loyaltyElements;
    private final String defaultCurrency;

    /**
     * @param vendorLoyaltyElements local names of vendor elements that carry the loyalty id (e.g. NCR's LoyaltyID),
     *                              tried after the ARTS places
     */
    public PosLogReader(List<String> vendorLoyaltyElements, String defaultCurrency) {
        this.loyaltyElements = List.copyOf(vendorLoyaltyElements);
        this.defaultCurrency = defaultCurrency;
    }

    /** One transaction of the document, as Kizuna understood it. */
    public sealed interface Entry {
        /** Where the transaction stands in the document and which receipt it is. */
        record Header(int index, String store, String workstation, LocalDate businessDay, String receiptNumber) {
        }

        Header header();

        record SaleEntry(Header header, PosProtocol.Sale sale, String loyaltyId, long documentTotal)
                implements Entry {
        }

        record ReturnEntry(Header header, PosProtocol.Return request, long documentTotal) implements Entry {
        }

        record Skipped(Header header, String reason) implements Entry {
        }

        record Invalid(Header header, String reason) implements Entry {
        }
    }

    public List<Entry> read(byte[] xml) {
        Element root = parse(xml).getDocumentElement();
        if (!"POSLog".equals(root.getLocalName()) && !"Transaction".equals(root.getLocalName())) {
            throw new KizunaException(ErrorCode.MALFORMED_XML, "The document is not an ARTS POSLog.");
        }
        List<Element> transactions = "Transaction".equals(root.getLocalName()) ? List.of(root)
                : children(root, "Transaction").toList();
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < transactions.size(); i++) {
            entries.add(entry(i + 1, transactions.get(i)));
        }
        return entries;
    }

    private Entry entry(int index, Element transaction) {
        Entry.Header header = new Entry.Header(index,
                text(transaction, "RetailStoreID").or(() -> path(transaction, "BusinessUnit", "UnitID")).orElse(null),
                text(transaction, "WorkstationID").orElse(null),
                text(transaction, "BusinessDayDate").map(PosLogReader::date).orElse(null),
                text(transaction, "ReceiptNumber").or(() -> text(transaction, "SequenceNumber")).orElse(null));
        if (flag(transaction, "TrainingModeFlag")) {
            return new Entry.Skipped(header, "training transaction");
        }
        if (flag(transaction, "CancelFlag") || flag(transaction, "VoidFlag")) {
            return new Entry.Skipped(header, "cancelled transaction");
        }
        Optional<Element> retail = child(transaction, "RetailTransaction");
        if (retail.isEmpty()) {
            return new Entry.Skipped(header, "not a retail transaction");
        }
        if (flag(retail.get(), "TrainingModeFlag") || "Canceled".equalsIgnoreCase(attribute(retail.get(),
                "TransactionStatus")) || "Cancelled".equalsIgnoreCase(attribute(retail.get(), "TransactionStatus"))) {
            return new Entry.Skipped(header, "training or cancelled transaction");
        }
        try {
            return retailEntry(header, transaction, retail.get());
        } catch (KizunaException | IllegalArgumentException | ArithmeticException e) {
            return new Entry.Invalid(header, e.getMessage());
        }
    }

    private Entry retailEntry(Entry.Header header, Element transaction, Element retail) {
        if (header.store() == null || header.workstation() == null || header.businessDay() == null
                || header.receiptNumber() == null) {
            throw KizunaException.invalid("The transaction lacks its store, workstation, business day or number.");
        }
        String currency = text(transaction, "CurrencyCode").orElse(currencyOf(retail));
        int digits = Currency.getInstance(currency).getDefaultFractionDigits();
        long documentTotal = children(retail, "Total")
                .filter(total -> "TransactionGrandAmount".equals(attribute(total, "TotalType")))
                .findFirst().map(total -> money(total.getTextContent(), digits)).orElse(0L);
        List<Element> items = children(retail, "LineItem").filter(item -> !flag(item, "VoidFlag")).toList();
        List<Element> returns = items.stream().flatMap(item -> children(item, "Return")).toList();
        if (!returns.isEmpty()) {
            return returnEntry(header, retail, items, documentTotal);
        }
        List<PosProtocol.Line> lines = new ArrayList<>();
        for (Element item : items) {
            Optional<Element> sale = child(item, "Sale");
            if (sale.isPresent()) {
                lines.add(line(lineNumber(item, lines.size()), sale.get(), digits));
            }
        }
        lines = applyTransactionDiscount(lines, transactionDiscount(items, digits));
        PosProtocol.Sale sale = new PosProtocol.Sale(header.businessDay(), header.receiptNumber(), null, currency,
                lines, List.of());
        return new Entry.SaleEntry(header, sale, loyaltyId(retail).orElse(null), documentTotal);
    }

    private Entry returnEntry(Entry.Header header, Element retail, List<Element> items, long documentTotal) {
        Element link = child(retail, "TransactionLink")
                .or(() -> descendants(retail, "TransactionLink")
                        .filter(candidate -> text(candidate, "ReceiptNumber").or(() ->
                                text(candidate, "SequenceNumber")).isPresent())
                        .findFirst())
                .orElseThrow(() -> KizunaException.invalid(
                        "A return must link to its original transaction (TransactionLink)."));
        PosProtocol.ReceiptRef original = new PosProtocol.ReceiptRef(
                text(link, "WorkstationID").orElse(header.workstation()),
                text(link, "BusinessDayDate").map(PosLogReader::date).orElse(header.businessDay()),
                text(link, "ReceiptNumber").or(() -> text(link, "SequenceNumber")).orElseThrow(() ->
                        KizunaException.invalid("The TransactionLink names no original receipt.")));
        List<PosProtocol.ReturnedLine> lines = new ArrayList<>();
        for (Element item : items) {
            for (Element back : children(item, "Return").toList()) {
                int originalLine = text(back, "OriginalLineNumber").or(() -> path(back, "TransactionLink",
                        "LineItemSequenceNumber")).map(Integer::parseInt).orElse(lineNumber(item, lines.size()));
                lines.add(new PosProtocol.ReturnedLine(originalLine, quantity(back).abs()));
            }
        }
        return new Entry.ReturnEntry(header, new PosProtocol.Return(header.businessDay(), header.receiptNumber(),
                original, lines), documentTotal);
    }

    private static PosProtocol.Line line(int number, Element sale, int digits) {
        String sku = text(sale, "ItemID").or(() -> path(sale, "POSIdentity", "POSItemID")).orElse(null);
        BigDecimal quantity = quantity(sale);
        long amount = text(sale, "ExtendedAmount").map(value -> money(value, digits)).orElse(0L);
        long unitPrice = text(sale, "ActualSalesUnitPrice").or(() -> text(sale, "RegularSalesUnitPrice"))
                .map(value -> money(value, digits)).orElse(amount);
        long discount = text(sale, "ExtendedDiscountAmount").or(() -> text(sale, "DiscountAmount"))
                .map(value -> Math.abs(money(value, digits))).orElse(0L);
        String category = text(sale, "MerchandiseHierarchy").orElse(null);
        return new PosProtocol.Line(number, sku, category, quantity, unitPrice, amount, discount);
    }

    /**
     * Monetary rewards on the whole transaction (vendor loyalty rewards with a negative amount). A reward that
     * the till reports twice, in detail and summarised, under one promotion and event counts once.
     */
    private static long transactionDiscount(List<Element> items, int digits) {
        Set<String> seen = new HashSet<>();
        long discount = 0;
        for (Element reward : items.stream().flatMap(item -> children(item, "LoyaltyReward")).toList()) {
            boolean monetary = text(reward, "RewardCategory").map("Monetary"::equals).orElse(false);
            boolean onTransaction = text(reward, "RewardLevel").map("Transaction"::equals).orElse(false);
            Optional<String> amount = text(reward, "ExtendedRewardAmount");
            String identity = text(reward, "PromotionID").orElse("") + "/" + text(reward, "EventID").orElse("");
            if (monetary && onTransaction && amount.isPresent() && seen.add(identity)) {
                discount += Math.max(0, -money(amount.get(), digits));
            }
        }
        return discount;
    }

    /** Spreads a transaction discount over the lines in proportion to what they cost, to the last minor unit. */
    private static List<PosProtocol.Line> applyTransactionDiscount(List<PosProtocol.Line> lines, long discount) {
        long total = lines.stream().mapToLong(PosProtocol.Line::net).sum();
        if (discount == 0 || total == 0) {
            return lines;
        }
        List<PosProtocol.Line> discounted = new ArrayList<>();
        long left = Math.min(discount, total);
        for (int i = 0; i < lines.size(); i++) {
            PosProtocol.Line line = lines.get(i);
            long share = i == lines.size() - 1 ? left : Math.min(left, Math.min(line.net(),
                    BigDecimal.valueOf(discount).multiply(BigDecimal.valueOf(line.net()))
                            .divide(BigDecimal.valueOf(total), 0, RoundingMode.DOWN).longValueExact()));
            left -= share;
            discounted.add(new PosProtocol.Line(line.lineNumber(), line.sku(), line.category(), line.quantity(),
                    line.unitPrice(), line.amount(), line.discount() + share));
        }
        return discounted;
    }

    /** The loyalty id where ARTS puts it, else in a configured vendor element. */
    private Optional<String> loyaltyId(Element retail) {
        return descendants(retail, "LoyaltyAccount").findFirst()
                .flatMap(account -> path(account, "LoyaltyCard", "PrimaryAccountNumber")
                        .or(() -> text(account, "CustomerID")))
                .or(() -> child(retail, "Customer").flatMap(customer -> text(customer, "CustomerID")))
                .or(() -> loyaltyElements.stream()
                        .flatMap(name -> descendants(retail, name))
                        .map(element -> element.getTextContent().strip())
                        .filter(value -> !value.isEmpty())
                        .findFirst());
    }

    private String currencyOf(Element retail) {
        return descendants(retail, "ExtendedAmount")
                .map(amount -> attribute(amount, "Currency"))
                .filter(code -> code != null && code.matches("[A-Z]{3}") && !"XXX".equals(code))
                .findFirst().orElse(defaultCurrency);
    }

    private static int lineNumber(Element item, int fallbackIndex) {
        return text(item, "SequenceNumber").map(Integer::parseInt).orElse(fallbackIndex + 1);
    }

    private static BigDecimal quantity(Element line) {
        return text(line, "Quantity").map(value -> new BigDecimal(value).stripTrailingZeros())
                .map(value -> value.scale() < 0 ? value.setScale(0) : value)
                .orElse(BigDecimal.ONE);
    }

    /** A decimal amount in the currency's unit, as an integer of its minor unit. */
    private static long money(String value, int digits) {
        return new BigDecimal(value.strip()).movePointRight(digits).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    private static LocalDate date(String value) {
        try {
            return LocalDate.parse(value.strip().substring(0, Math.min(10, value.strip().length())));
        } catch (DateTimeParseException e) {
            throw KizunaException.invalid("'" + value + "' is not a date.");
        }
    }

    private static Document parse(byte[] xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            return builder.parse(new ByteArrayInputStream(xml));
        } catch (SAXException | IOException e) {
            throw new KizunaException(ErrorCode.MALFORMED_XML,
                    "The body is not well-formed XML without a DOCTYPE.");
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("The XML parser cannot be made safe", e);
        }
    }

    private static boolean flag(Element element, String name) {
        return "true".equalsIgnoreCase(attribute(element, name)) || text(element, name).map("true"::equalsIgnoreCase)
                .orElse(false);
    }

    private static String attribute(Element element, String localName) {
        var attributes = element.getAttributes();
        for (int i = 0; i < attributes.getLength(); i++) {
            Node attribute = attributes.item(i);
            String name = attribute.getLocalName() != null ? attribute.getLocalName() : attribute.getNodeName();
            if (localName.equals(name)) {
                return attribute.getNodeValue();
            }
        }
        return null;
    }

    private static Optional<String> text(Element parent, String localName) {
        return child(parent, localName).map(element -> element.getTextContent().strip())
                .filter(value -> !value.isEmpty());
    }

    private static Optional<String> path(Element parent, String first, String second) {
        return child(parent, first).flatMap(element -> text(element, second));
    }

    private static Optional<Element> child(Element parent, String localName) {
        return children(parent, localName).findFirst();
    }

    private static Stream<Element> children(Element parent, String localName) {
        List<Element> found = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && localName.equals(element.getLocalName())) {
                found.add(element);
            }
        }
        return found.stream();
    }

    private static Stream<Element> descendants(Element parent, String localName) {
        var nodes = parent.getElementsByTagNameNS("*", localName);
        List<Element> found = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            found.add((Element) nodes.item(i));
        }
        return found.stream();
    }
}
