-- The fidelity benchmark's application workload over ShopSource and its stock table: lookups, covering and partial
-- indexes, LIKE prefixes, top-N, semi- and anti-joins, and reports that production runs in parallel.
-- name: customer-by-email
SELECT id, name FROM customers WHERE email = 'customer4242@mail.test';
-- name: order-lines
SELECT line, product_id, quantity FROM order_items WHERE order_id = 424242 ORDER BY line;
-- name: email-prefix
SELECT id, email FROM customers WHERE email LIKE 'customer4242%';
-- name: open-orders-page
SELECT id, placed_at FROM orders WHERE status IN ('new', 'paid') ORDER BY placed_at LIMIT 50;
-- name: open-orders-count
SELECT count(*) FROM orders WHERE status IN ('new', 'paid');
-- name: customer-recent-spend
SELECT placed_at, total FROM orders WHERE customer_id = 1 AND placed_at >= '2023-06-01' ORDER BY placed_at DESC LIMIT 20;
-- name: top-customers-spend
SELECT customer_id, sum(total) FROM orders WHERE customer_id <= 40 GROUP BY customer_id;
-- name: signups-by-country
SELECT country, count(*) FROM customers WHERE created_at >= '2020-03-01' GROUP BY country;
-- name: latest-delivered
SELECT id, total FROM orders WHERE status = 'delivered' ORDER BY placed_at DESC LIMIT 20;
-- name: warehouse-stock
SELECT count(*), sum(on_hand) FROM stock WHERE warehouse = 2 AND product_id < 20000;
-- name: best-sellers
SELECT product_id, sum(quantity) AS sold FROM order_items GROUP BY product_id ORDER BY sold DESC LIMIT 10;
-- name: sales-of-dear-products
SELECT p.title, sum(i.quantity) FROM order_items i JOIN products p ON p.id = i.product_id WHERE p.price > 450
GROUP BY p.title;
-- name: sold-from-low-stock
SELECT s.warehouse, sum(i.quantity) FROM order_items i JOIN stock s ON s.product_id = i.product_id
WHERE s.on_hand < 20 GROUP BY s.warehouse;
-- name: delivered-lines
SELECT count(*) FROM orders o JOIN order_items i ON i.order_id = o.id WHERE o.status = 'delivered' AND i.quantity = 5;
-- name: nl-customers-with-new-orders
SELECT count(*) FROM customers c WHERE c.country = 'NL'
AND EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.status = 'new');
-- name: orders-of-lu-customers-in
SELECT count(*) FROM orders WHERE customer_id IN (SELECT id FROM customers WHERE country = 'LU');
-- name: out-of-stock-products
SELECT p.id, p.sku FROM products p WHERE p.id IN (SELECT product_id FROM stock WHERE on_hand = 0 AND warehouse = 1);
-- name: products-never-sold
SELECT count(*) FROM products p WHERE NOT EXISTS (SELECT 1 FROM order_items i WHERE i.product_id = p.id);
-- name: stock-without-sales
SELECT count(*) FROM stock s WHERE NOT EXISTS (SELECT 1 FROM order_items i WHERE i.product_id = s.product_id)
AND s.warehouse = 3;
-- name: monthly-revenue
SELECT date_trunc('month', placed_at), count(*), sum(total) FROM orders GROUP BY 1 ORDER BY 1;
