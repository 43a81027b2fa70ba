-- The canonical username (NFKC, case-folded, trimmed: infra/textnorm) in a
-- byte-exact column. The username column compares under utf8mb4_unicode_ci on
-- MySQL, where POLICE2, "police2 " and pólice2 all equal police2, so a lookup
-- by username let other spellings reach an account under a fresh lock-out
-- counter. Logins look up username_key, byte for byte (VARBINARY on MySQL,
-- where even utf8mb4_bin ignores trailing spaces). Names stored so far
-- passed the lowercase-ASCII rule, so lowering and trimming them is their
-- canonical form.
ALTER TABLE users ADD COLUMN username_key {{varbinary}}(64) NULL;
UPDATE users SET username_key = LOWER(TRIM(username)) WHERE username IS NOT NULL AND username_key IS NULL;
