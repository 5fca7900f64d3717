package dev.schemarehearsal.harness.migrate;

import dev.schemarehearsal.harness.api.Engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A shop for the estimate benchmarks, generated on the server at any fraction of its full size with the same
 * distributions, so that a 1 % and a 100 % copy differ only in size: 200,000 customers, 20,000 products, 2,000,000
 * orders and 4,000,000 order items at full size (about 750 MB on PostgreSQL). Text columns have realistic widths
 * (addresses of 40 to 50 characters, descriptions of 200), a few customers place most orders and a few products sell
 * most, and an order's status is skewed: 90 % delivered, 0.05 % disputed, spread evenly through the table.
 */
final class EstimateShop {
    static final long CUSTOMERS = 200_000;
    static final long PRODUCTS = 20_000;
    static final long ORDERS = 2_000_000;
    static final List<String> TABLES = List.of("customers", "products", "orders", "order_items");

    /**
     * One statement kind a migration runs.
     *
     * @param table the table whose size its work grows with
     * @param dml   whether it changes rows (rolled back between rounds on MariaDB, where DDL commits)
     * @param undo  what returns the database to its state before, on MariaDB; {@code null} when nothing needs undoing
     */
    record Kind(String name, String sql, String table, boolean dml, String undo) { }

    private EstimateShop() {
    }

    /** The tables with their primary keys. */
    static List<String> tables(Engine engine) {
        boolean postgres = engine == Engine.POSTGRESQL;
        String text = postgres ? "TEXT" : "VARCHAR(255)";
        String time = postgres ? "TIMESTAMPTZ" : "DATETIME";
        return List.of(
                "CREATE TABLE customers (id BIGINT PRIMARY KEY, email " + text + " NOT NULL, name " + text + " NOT NULL, "
                        + "country CHAR(2) NOT NULL, address " + text + " NOT NULL, created_at " + time + " NOT NULL, "
                        + "marketing BOOLEAN NOT NULL)",
                "CREATE TABLE products (id INT PRIMARY KEY, sku " + text + " NOT NULL, title " + text + " NOT NULL, "
                        + "description TEXT NOT NULL, category " + text + " NOT NULL, price NUMERIC(10,2) NOT NULL)",
                "CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL, placed_at " + time + " NOT NULL, "
                        + "status " + text + " NOT NULL, currency CHAR(3), total NUMERIC(12,2) NOT NULL, "
                        + "item_count INT NOT NULL, shipping_address " + text + " NOT NULL, note " + text + ")",
                "CREATE TABLE order_items (order_id BIGINT NOT NULL, line INT NOT NULL, product_id INT NOT NULL, "
                        + "quantity INT NOT NULL, unit_price NUMERIC(10,2) NOT NULL, PRIMARY KEY (order_id, line))");
    }

    /** Secondary indexes and foreign keys: after the rows, which is faster than maintaining them row by row. */
    static List<String> constraints() {
        return List.of(
                "CREATE INDEX orders_customer ON orders (customer_id)",
                "CREATE INDEX order_items_product ON order_items (product_id)",
                "CREATE UNIQUE INDEX customers_email ON customers (email)",
                "CREATE UNIQUE INDEX products_sku ON products (sku)",
                "ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id)",
                "ALTER TABLE order_items ADD CONSTRAINT order_items_order_id_fkey FOREIGN KEY (order_id) REFERENCES orders (id)",
                "ALTER TABLE order_items ADD CONSTRAINT order_items_product_id_fkey FOREIGN KEY (product_id) "
                        + "REFERENCES products (id)");
    }

    /** The schema as a migration script: tables, then indexes and foreign keys. */
    static String script(Engine engine) {
        List<String> statements = new ArrayList<>(tables(engine));
        statements.addAll(constraints());
        return String.join(";\n", statements) + ";\n";
    }

    /** The INSERT … SELECT statements that fill the tables at the fraction of the full size (0 to 1). */
    static List<String> fill(Engine engine, double fraction) {
        long customers = Math.round(CUSTOMERS * fraction);
        long products = Math.round(PRODUCTS * fraction);
        long orders = Math.round(ORDERS * fraction);
        if (orders == 0) {
            return List.of();
        }
        return engine == Engine.POSTGRESQL ? postgres(customers, products, orders, fraction)
                : mariadb(customers, products, orders, fraction);
    }

    // The same values on both engines: ids spread by multiplying with a prime modulo a prime (so every size has the
    // same distribution), md5 text for widths that don't compress, a cube and a fourth power for the skew.
    private static List<String> postgres(long customers, long products, long orders, double fraction) {
        return List.of(
                "INSERT INTO customers SELECT i, 'customer' || i || '@' || (ARRAY['gmail.com', 'outlook.com', "
                        + "'example.org', 'mail.test'])[1 + i % 4], initcap(substr(md5(i::text), 1, 7)) || ' ' "
                        + "|| initcap(substr(md5(i::text), 8, 9)), " + country("i") + ", " + address("i", "Street", "'s'", "'c'")
                        + ", timestamptz '2019-01-01 00:00:00+00' + i * interval '5 minutes', i % 3 = 0 "
                        + "FROM generate_series(1, " + customers + ") i",
                "INSERT INTO products SELECT i, 'SKU-' || lpad(i::text, 7, '0'), initcap(substr(md5('t' || i), 1, 10)) "
                        + "|| ' ' || initcap(substr(md5('u' || i), 1, 14)), md5('a' || i) || ' ' || md5('b' || i) || ' ' "
                        + "|| md5('c' || i) || ' ' || md5('d' || i) || ' ' || md5('e' || i) || ' ' || md5('f' || i), "
                        + "(ARRAY['books', 'garden', 'kitchen', 'toys', 'tools', 'music', 'sports', 'office'])[1 + i % 8], "
                        + "1 + (i % 5000) / 10.0 FROM generate_series(1, " + products + ") i",
                "INSERT INTO orders SELECT i, 1 + floor(" + (customers - 1) + " * power(((i * 7919) % 1000003) / 1000003.0, 3)), "
                        + "timestamptz '2021-01-01 00:00:00+00' + i * interval '" + seconds(fraction) + " seconds', "
                        + status("(i * 7919) % 10000") + ", CASE WHEN i % 10 < 7 THEN 'EUR' ELSE 'USD' END, "
                        + "5 + ((i * 31) % 50000) / 100.0, 1 + i % 3, " + address("i", "Road", "'o'", "'p'") + ", "
                        + "CASE WHEN i % 20 = 0 THEN 'Please leave the parcel with the neighbour, ref ' || md5('n' || i) END "
                        + "FROM generate_series(1::bigint, " + orders + ") i",
                "INSERT INTO order_items SELECT o, l, 1 + floor(" + (products - 1) + " * power(((o * 31 + l * 17) % 100003) "
                        + "/ 100003.0, 4)), 1 + (o + l) % 5, 1 + ((o * 7 + l) % 5000) / 10.0 "
                        + "FROM generate_series(1::bigint, " + orders + ") o, LATERAL generate_series(1, 1 + o % 3) l");
    }

    private static List<String> mariadb(long customers, long products, long orders, double fraction) {
        return List.of(
                "INSERT INTO customers SELECT seq, CONCAT('customer', seq, '@', ELT(1 + seq % 4, 'gmail.com', "
                        + "'outlook.com', 'example.org', 'mail.test')), CONCAT(SUBSTR(MD5(seq), 1, 7), ' ', "
                        + "SUBSTR(MD5(seq), 8, 9)), " + country("seq") + ", " + mariaAddress("seq", "Street", "s", "c")
                        + ", TIMESTAMP '2019-01-01 00:00:00' + INTERVAL seq * 5 MINUTE, seq % 3 = 0 FROM seq_1_to_" + customers,
                "INSERT INTO products SELECT seq, CONCAT('SKU-', LPAD(seq, 7, '0')), CONCAT(SUBSTR(MD5(CONCAT('t', seq)), 1, 10), "
                        + "' ', SUBSTR(MD5(CONCAT('u', seq)), 1, 14)), CONCAT_WS(' ', MD5(CONCAT('a', seq)), MD5(CONCAT('b', seq)), "
                        + "MD5(CONCAT('c', seq)), MD5(CONCAT('d', seq)), MD5(CONCAT('e', seq)), MD5(CONCAT('f', seq))), "
                        + "ELT(1 + seq % 8, 'books', 'garden', 'kitchen', 'toys', 'tools', 'music', 'sports', 'office'), "
                        + "1 + (seq % 5000) / 10.0 FROM seq_1_to_" + products,
                "INSERT INTO orders SELECT seq, 1 + FLOOR(" + (customers - 1) + " * POW(((seq * 7919) % 1000003) / 1000003.0, 3)), "
                        + "TIMESTAMP '2021-01-01 00:00:00' + INTERVAL FLOOR(seq * " + seconds(fraction) + ") SECOND, "
                        + status("(seq * 7919) % 10000") + ", CASE WHEN seq % 10 < 7 THEN 'EUR' ELSE 'USD' END, "
                        + "5 + ((seq * 31) % 50000) / 100.0, 1 + seq % 3, " + mariaAddress("seq", "Road", "o", "p") + ", "
                        + "CASE WHEN seq % 20 = 0 THEN CONCAT('Please leave the parcel with the neighbour, ref ', "
                        + "MD5(CONCAT('n', seq))) END FROM seq_1_to_" + orders,
                "INSERT INTO order_items SELECT o.seq, l.seq, 1 + FLOOR(" + (products - 1) + " * POW(((o.seq * 31 + l.seq * 17) "
                        + "% 100003) / 100003.0, 4)), 1 + (o.seq + l.seq) % 5, 1 + ((o.seq * 7 + l.seq) % 5000) / 10.0 "
                        + "FROM seq_1_to_" + orders + " o JOIN seq_1_to_3 l ON l.seq <= 1 + o.seq % 3");
    }

    /** Every size spans the same 2.5 years of orders. */
    private static String seconds(double fraction) {
        return String.format(Locale.ROOT, "%.4f", 40 / fraction);
    }

    private static String country(String i) {
        return "CASE WHEN " + i + " % 1000 = 0 THEN 'LU' WHEN " + i + " % 100 < 3 THEN 'NL' WHEN " + i + " % 100 < 15 "
                + "THEN 'FR' WHEN " + i + " % 100 < 40 THEN 'DE' ELSE 'US' END";
    }

    /** 0.05 % disputed, 1.5 % cancelled, 1 % new, 2.5 % paid, 5 % shipped, the rest delivered. */
    private static String status(String hash) {
        return "CASE WHEN " + hash + " < 5 THEN 'disputed' WHEN " + hash + " < 155 THEN 'cancelled' WHEN " + hash
                + " < 255 THEN 'new' WHEN " + hash + " < 505 THEN 'paid' WHEN " + hash + " < 1005 THEN 'shipped' "
                + "ELSE 'delivered' END";
    }

    private static String address(String i, String way, String street, String city) {
        return "(" + i + " % 997 + 1) || ' ' || initcap(substr(md5(" + street + " || " + i + "), 1, 12)) || ' " + way
                + ", ' || initcap(substr(md5(" + city + " || " + i + "), 1, 9)) || ' ' || lpad((" + i + " % 99991)::text, 5, '0')";
    }

    private static String mariaAddress(String i, String way, String street, String city) {
        return "CONCAT(" + i + " % 997 + 1, ' ', SUBSTR(MD5(CONCAT('" + street + "', " + i + ")), 1, 12), ' " + way
                + ", ', SUBSTR(MD5(CONCAT('" + city + "', " + i + ")), 1, 9), ' ', LPAD(" + i + " % 99991, 5, '0'))";
    }

    /** The statement kinds measured on PostgreSQL. */
    static List<Kind> postgresKinds() {
        return List.of(
                new Kind("volatile-default", "ALTER TABLE orders ADD COLUMN public_id UUID NOT NULL DEFAULT gen_random_uuid()",
                        "orders", false, null),
                new Kind("constant-default", "ALTER TABLE orders ADD COLUMN gift BOOLEAN NOT NULL DEFAULT false",
                        "orders", false, null),
                new Kind("type-change", "ALTER TABLE orders ALTER COLUMN item_count TYPE BIGINT", "orders", false, null),
                new Kind("index-large", "CREATE INDEX orders_placed_at ON orders (placed_at)", "orders", false, null),
                new Kind("index-small", "CREATE INDEX customers_lower_email ON customers (lower(email))", "customers",
                        false, null),
                new Kind("check", "ALTER TABLE orders ADD CONSTRAINT orders_total_nonnegative CHECK (total >= 0)",
                        "orders", false, null),
                new Kind("foreign-key", "ALTER TABLE orders DROP CONSTRAINT orders_customer_id_fkey, ADD CONSTRAINT "
                        + "orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE",
                        "orders", false, null),
                new Kind("set-not-null", "ALTER TABLE orders ALTER COLUMN currency SET NOT NULL", "orders", false, null),
                new Kind("selective-update", "UPDATE orders SET status = 'under_review' WHERE status = 'disputed'",
                        "orders", true, null),
                new Kind("full-update", "UPDATE orders SET total = round(total * 1.1, 2)", "orders", true, null),
                new Kind("delete-join", "DELETE FROM order_items i USING orders o WHERE i.order_id = o.id "
                        + "AND o.status = 'cancelled'", "order_items", true, null));
    }

    /** The statement kinds measured on MariaDB, each with what undoes it, as MariaDB's DDL commits. */
    static List<Kind> mariadbKinds() {
        return List.of(
                new Kind("index-large", "CREATE INDEX orders_placed_at ON orders (placed_at)", "orders", false,
                        "DROP INDEX orders_placed_at ON orders"),
                new Kind("check", "ALTER TABLE orders ADD CONSTRAINT orders_total_nonnegative CHECK (total >= 0)",
                        "orders", false, "ALTER TABLE orders DROP CONSTRAINT orders_total_nonnegative"),
                new Kind("foreign-key", "ALTER TABLE orders DROP FOREIGN KEY orders_customer_id_fkey, ADD CONSTRAINT "
                        + "orders_customer_cascade FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE",
                        "orders", false, "ALTER TABLE orders DROP FOREIGN KEY orders_customer_cascade, ADD CONSTRAINT "
                        + "orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id)"),
                new Kind("selective-update", "UPDATE orders SET status = 'under_review' WHERE status = 'disputed'",
                        "orders", true, null),
                new Kind("delete-join", "DELETE i FROM order_items i JOIN orders o ON i.order_id = o.id "
                        + "WHERE o.status = 'cancelled'", "order_items", true, null),
                new Kind("type-change", "ALTER TABLE orders MODIFY item_count BIGINT NOT NULL", "orders", false,
                        "ALTER TABLE orders MODIFY item_count INT NOT NULL"));
    }
}
