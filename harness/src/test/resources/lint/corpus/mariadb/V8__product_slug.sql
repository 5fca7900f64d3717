SET SESSION lock_wait_timeout = 10;
ALTER TABLE `product` ADD COLUMN `slug` varchar(191) DEFAULT NULL AFTER `title`, ALGORITHM=INSTANT;
-- A virtual column is added in place only on its own.
ALTER TABLE `product`
  ADD COLUMN `search_title` varchar(255) AS (LOWER(`title`)) VIRTUAL,
  ALGORITHM=INPLACE, LOCK=NONE;
UPDATE `product` SET `slug` = LOWER(REPLACE(`title`, ' ', '-')) WHERE `slug` IS NULL;
CREATE UNIQUE INDEX `uk_product_slug` ON `product` (`slug`) ALGORITHM=INPLACE LOCK=NONE;
