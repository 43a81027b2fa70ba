-- What the directory shows of a lawyer or mediator beyond the account.
CREATE TABLE IF NOT EXISTS lawyer_profiles (
  user_id           BIGINT        NOT NULL PRIMARY KEY,
  specialties       VARCHAR(300)  NOT NULL,
  languages         VARCHAR(100)  NOT NULL,
  years_of_practice INT           NOT NULL,
  bio               VARCHAR(1000) NOT NULL
) {{table}};
