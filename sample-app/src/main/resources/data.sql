-- Products 1 to 100, in five categories.
INSERT INTO product (id, name, category, price)
SELECT x, 'Product ' || x,
       CASE MOD(x, 5) WHEN 0 THEN 'books' WHEN 1 THEN 'games' WHEN 2 THEN 'garden' WHEN 3 THEN 'kitchen' ELSE 'toys' END,
       CAST(x AS DECIMAL(10, 2)) + 0.99
FROM SYSTEM_RANGE(1, 100);
