-- Order numbers come from a procedure so that every client gets them the same way.
CREATE TABLE `sequence_value` (
  `name` varchar(64) NOT NULL PRIMARY KEY,
  `value` bigint unsigned NOT NULL DEFAULT 0
) ENGINE=InnoDB;

INSERT INTO `sequence_value` (`name`, `value`) VALUES ('order_number', 100000);

DROP PROCEDURE IF EXISTS next_order_number;
CREATE PROCEDURE next_order_number(OUT result BIGINT UNSIGNED)
BEGIN
  UPDATE `sequence_value` SET `value` = LAST_INSERT_ID(`value` + 1) WHERE `name` = 'order_number';
  SET result = LAST_INSERT_ID();
END;

CREATE FUNCTION format_price(amount DECIMAL(12,2)) RETURNS VARCHAR(32) DETERMINISTIC
RETURN CONCAT(FORMAT(amount, 2), ' EUR');
