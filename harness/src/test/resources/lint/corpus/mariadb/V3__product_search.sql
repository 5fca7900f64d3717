-- Full-text search over products.
CREATE TABLE `product_text` (
  `product_id` bigint(20) unsigned NOT NULL,
  `locale` char(5) NOT NULL DEFAULT 'en_US',
  `fulltext` mediumtext NOT NULL,
  `keywords` varchar(500) NOT NULL DEFAULT '',
  PRIMARY KEY (`product_id`, `locale`),
  FULLTEXT KEY `ft_product_text` (`fulltext`, `keywords`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT 'searchable text per locale';

INSERT INTO `product_text` (`product_id`, `fulltext`)
SELECT `id`, CONCAT(`title`, ' ', COALESCE(`description`, '')) FROM `product`;

ALTER TABLE `product_text` ADD FULLTEXT INDEX `ft_product_keywords` (`keywords`);
