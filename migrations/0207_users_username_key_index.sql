-- One account per canonical username, and the login lookup's index.
CREATE UNIQUE INDEX uq_users_username_key ON users (username_key);
