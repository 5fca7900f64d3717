-- The global configuration becomes the shop's settings.
SET SESSION lock_wait_timeout = 5;
RENAME TABLE `config` TO `shop_setting`;

CREATE TABLE `coupon` (
  `code` varchar(32) NOT NULL,
  `percent` tinyint unsigned NOT NULL,
  `valid_until` date DEFAULT NULL,
  PRIMARY KEY (`code`)
) ENGINE=InnoDB;
RENAME TABLE `coupon` TO `voucher`;
ALTER TABLE `voucher` RENAME TO `discount_code`;
ALTER TABLE `discount_code` ADD COLUMN `uses` int unsigned NOT NULL DEFAULT 0, ADD KEY `idx_discount_valid` (`valid_until`);
