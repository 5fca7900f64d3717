CREATE TABLE api_key (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id BIGINT UNSIGNED NOT NULL,
  `key` CHAR(64) NOT NULL COMMENT 'sha256 of the key',
  type ENUM('personal','service') NOT NULL DEFAULT 'personal',
  value JSON NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  last_used_at DATETIME(3) NULL ON UPDATE CURRENT_TIMESTAMP(3),
  UNIQUE INDEX uk_api_key_key (`key`),
  INDEX idx_api_key_user (user_id)
) ENGINE = InnoDB DEFAULT CHARACTER SET = utf8mb4 COLLATE = utf8mb4_bin;

ALTER TABLE api_key ADD CONSTRAINT fk_api_key_user FOREIGN KEY (user_id) REFERENCES `user` (id) ON DELETE CASCADE;
ALTER TABLE api_key MODIFY COLUMN type ENUM('personal','service','bot') NOT NULL DEFAULT 'personal';
ALTER TABLE api_key ADD COLUMN label VARCHAR(100) NOT NULL DEFAULT '' AFTER `key`;
