CREATE TABLE `order_history` (
  `id` bigint unsigned NOT NULL AUTO_INCREMENT,
  `order_id` bigint unsigned NOT NULL,
  `old_status` varchar(20) DEFAULT NULL,
  `new_status` varchar(20) NOT NULL,
  `changed_at` timestamp(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  PRIMARY KEY (`id`),
  KEY `idx_order_history_order` (`order_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TRIGGER `trg_order_status` AFTER UPDATE ON `order`
FOR EACH ROW
BEGIN
  IF NEW.`status` <> OLD.`status` THEN
    INSERT INTO `order_history` (`order_id`, `old_status`, `new_status`) VALUES (NEW.`id`, OLD.`status`, NEW.`status`);
  END IF;
END;
