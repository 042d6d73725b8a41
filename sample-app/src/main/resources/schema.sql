CREATE TABLE product (
  id BIGINT PRIMARY KEY,
  name VARCHAR(200) NOT NULL,
  category VARCHAR(100) NOT NULL,
  price DECIMAL(10, 2) NOT NULL
);

-- Who viewed which product, last: written behind the product-views cache, in batches (ProductViewsWriter).
CREATE TABLE product_view (
  product_id BIGINT NOT NULL,
  viewer VARCHAR(100) NOT NULL,
  viewed_at TIMESTAMP NOT NULL,
  PRIMARY KEY (product_id, viewer)
);
