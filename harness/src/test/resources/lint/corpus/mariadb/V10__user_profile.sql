/* Profile fields asked for by support. */
ALTER TABLE `user` ADD COLUMN `locale` char(5) NOT NULL DEFAULT 'en_US' COMMENT 'preferred language';
ALTER TABLE `user` ADD COLUMN `display_name` varchar(100) GENERATED ALWAYS AS (COALESCE(NULLIF(`name`, ''), `email`)) STORED;
ALTER TABLE `user` MODIFY `name` varchar(150) NOT NULL DEFAULT '';
CREATE FULLTEXT INDEX `ft_user_name` ON `user` (`name`);
