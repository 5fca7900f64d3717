CREATE TABLE `review` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `product_id` bigint unsigned NOT NULL,
  `user_id` bigint unsigned NOT NULL,
  `rating` tinyint NOT NULL,
  `title` varchar(200) NOT NULL DEFAULT '',
  `body` text,
  `helpful` int NOT NULL DEFAULT 0,
  `created_at` datetime NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (`id`),
  KEY `idx_review_product` (`product_id`),
  CONSTRAINT `chk_review_rating` CHECK (`rating` BETWEEN 1 AND 5)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

ALTER TABLE `review` ADD CONSTRAINT `fk_review_product` FOREIGN KEY (`product_id`) REFERENCES `product` (`id`);
ALTER TABLE `review` ADD CONSTRAINT `fk_review_user` FOREIGN KEY (`user_id`) REFERENCES `user` (`id`);
ALTER TABLE `review` ADD FULLTEXT KEY `ft_review_body` (`title`, `body`);
ALTER TABLE `review` MODIFY `helpful` int unsigned NOT NULL DEFAULT 0;
ALTER TABLE `review` ADD COLUMN `score` decimal(6,2) AS (`rating` * 20) STORED;
CREATE INDEX `idx_review_user_created` ON `review` (`user_id`, `created_at`);
ALTER TABLE `review` ENGINE=InnoDB ROW_FORMAT=DYNAMIC;
