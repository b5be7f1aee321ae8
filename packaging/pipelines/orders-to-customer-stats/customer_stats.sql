-- The customer_stats view over the orders table the pipeline keeps up to date (PostgreSQL and DuckDB alike).
-- Run it once the first orders have landed (the table is created by the sink on first write).
CREATE OR REPLACE VIEW customer_stats AS
SELECT customer_id,
       count(*)        AS orders,
       sum(total)      AS revenue,
       max(created_at) AS last_order_at
FROM orders
WHERE status <> 'cancelled'
GROUP BY customer_id;
