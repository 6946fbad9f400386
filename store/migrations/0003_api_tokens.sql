-- perftrack schema, version 3: API tokens for `perftrack serve`, and publicly readable projects.
-- compatibility: additive (a new table and a column with a default: older binaries never read them)
-- A token is per project with one scope (ingest < read < admin: docs/api.yaml). Only the SHA-256
-- of the token is kept, so a copy of the database cannot be used to call the API; the token
-- itself is printed once by `perftrack token create`.

CREATE TABLE api_token (
    id           bigserial PRIMARY KEY,
    project_id   bigint NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    scope        text NOT NULL CHECK (scope IN ('ingest', 'read', 'admin')),
    -- hex SHA-256 of the whole token; looked up by the server on every request
    token_hash   text NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    -- the token's first characters, so `token list` can tell tokens apart without the secret
    token_prefix text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz,
    revoked_at   timestamptz
);
CREATE INDEX api_token_project ON api_token (project_id);

-- Public projects can be read through the API without a token (`perftrack project public P`).
ALTER TABLE project ADD COLUMN public boolean NOT NULL DEFAULT false;
