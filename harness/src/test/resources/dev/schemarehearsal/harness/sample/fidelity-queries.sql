-- The fidelity benchmark's workload over ShopSource: rare and common values, narrow and wide ranges, joins.
-- name: orders-new
SELECT * FROM orders WHERE status = 'new';
-- name: orders-delivered
SELECT * FROM orders WHERE status = 'delivered';
-- name: orders-cancelled-count
SELECT count(*) FROM orders WHERE status = 'cancelled';
-- name: orders-one-hour
SELECT * FROM orders WHERE placed_at >= '2023-02-01 10:00' AND placed_at < '2023-02-01 11:00';
-- name: orders-two-months
SELECT sum(total) FROM orders WHERE placed_at >= '2023-01-15' AND placed_at < '2023-03-15';
-- name: customers-lu
SELECT * FROM customers WHERE country = 'LU';
-- name: customers-us
SELECT * FROM customers WHERE country = 'US';
-- name: orders-of-lu-customers
SELECT o.* FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.country = 'LU';
-- name: new-orders-of-us-customers
SELECT o.id, c.email FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.country = 'US' AND o.status = 'new';
-- name: orders-per-customer
SELECT c.id, count(*) FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.id;
-- name: items-of-best-seller
SELECT * FROM order_items WHERE product_id = 1;
-- name: items-of-rare-product
SELECT * FROM order_items WHERE product_id = 40000;
-- name: orders-of-big-customer
SELECT * FROM orders WHERE customer_id = 1;
-- name: orders-of-small-customer
SELECT * FROM orders WHERE customer_id = 150000;
-- name: latest-orders
SELECT * FROM orders ORDER BY placed_at DESC LIMIT 10;
-- name: cheap-products-sold
SELECT p.sku, sum(i.quantity) FROM products p JOIN order_items i ON i.product_id = p.id WHERE p.price < 0.5 GROUP BY p.sku;
-- name: items-of-new-lu-orders
SELECT i.* FROM order_items i JOIN orders o ON o.id = i.order_id JOIN customers c ON c.id = o.customer_id
WHERE c.country = 'LU' AND o.status = 'new';
-- name: customers-without-orders
SELECT count(*) FROM customers c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id);
-- name: orders-by-status
SELECT status, count(*) FROM orders GROUP BY status;
-- name: distinct-buyers
SELECT count(DISTINCT customer_id) FROM orders WHERE placed_at >= '2023-05-01';
-- name: big-totals
SELECT * FROM orders WHERE total > 999.5;
-- name: product-title
SELECT i.order_id FROM order_items i JOIN products p ON p.id = i.product_id WHERE p.title = 'Product 7';
-- name: revenue-by-country
SELECT c.country, sum(o.total) FROM orders o JOIN customers c ON c.id = o.customer_id GROUP BY c.country;
-- name: some-orders
SELECT * FROM orders WHERE id IN (5, 50, 500, 5000, 50000);
