package dev.schemarehearsal.harness.sample;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * A generated shop of 2,050,000 rows over 4 related tables, made server-side with generate_series, for the
 * benchmarks. The values are skewed and correlated as real data is, so that plans depend on selectivity: a few
 * customers place most orders and a few products sell most, most customers are in the US and few in LU, an order's
 * status follows its age (old ones delivered, the newest new), and ids, dates and physical order agree.
 */
final class ShopSource {
    static final List<String> TABLES = List.of("customers", "products", "orders", "order_items");

    private ShopSource() {
    }

    static void generate(Statement statement) throws SQLException {
        schema(statement);
        fill(statement);
    }

    /** The tables, empty. */
    static void schema(Statement statement) throws SQLException {
        statement.execute("CREATE TABLE customers (id BIGINT PRIMARY KEY, email TEXT NOT NULL, name TEXT NOT NULL, "
                + "country CHAR(2) NOT NULL, created_at TIMESTAMP NOT NULL)");
        statement.execute("CREATE TABLE products (id INT PRIMARY KEY, sku TEXT NOT NULL UNIQUE, title TEXT NOT NULL, "
                + "price NUMERIC(10,2) NOT NULL)");
        statement.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL REFERENCES customers, "
                + "placed_at TIMESTAMP NOT NULL, status TEXT NOT NULL, total NUMERIC(12,2) NOT NULL)");
        statement.execute("CREATE TABLE order_items (order_id BIGINT NOT NULL REFERENCES orders, line INT NOT NULL, "
                + "product_id INT NOT NULL REFERENCES products, quantity INT NOT NULL, PRIMARY KEY (order_id, line))");
    }

    static void fill(Statement statement) throws SQLException {
        statement.execute("INSERT INTO customers SELECT i, 'customer' || i || '@mail.test', 'Customer ' || i, "
                + "CASE WHEN i % 1000 = 0 THEN 'LU' WHEN i % 100 < 3 THEN 'NL' WHEN i % 100 < 15 THEN 'FR' "
                + "WHEN i % 100 < 40 THEN 'DE' ELSE 'US' END, timestamp '2020-01-01' + i * interval '1 minute' "
                + "FROM generate_series(1, 200000) i");
        statement.execute("INSERT INTO products SELECT i, 'SKU-' || i, 'Product ' || i, (i % 5000) / 10.0 "
                + "FROM generate_series(1, 50000) i");
        // (i × 7919) mod n spreads i over 0..n-1; its cube piles the orders onto the first customers.
        statement.execute("INSERT INTO orders SELECT i, 1 + floor(199999 * power(((i::bigint * 7919) % 200000) / 200000.0, 3)), "
                + "timestamp '2023-01-01' + i * interval '30 seconds', CASE WHEN i % 500 = 0 THEN 'cancelled' "
                + "WHEN i > 598000 THEN 'new' WHEN i > 590000 THEN 'paid' WHEN i > 560000 THEN 'shipped' "
                + "ELSE 'delivered' END, (i % 100000) / 100.0 FROM generate_series(1, 600000) i");
        statement.execute("INSERT INTO order_items SELECT o, l, 1 + floor(49999 * power(((o * 31 + l * 17) % 50000) "
                + "/ 50000.0, 4)), 1 + (o + l) % 5 FROM generate_series(1, 600000) o, generate_series(1, 2) l");
    }
}
