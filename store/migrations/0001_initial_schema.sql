-- perftrack schema, version 1: projects, testbeds, branches, commits, runs (and their parts),
-- benchmarks, metrics and samples (ARCHITECTURE.md, "Storage").
-- compatibility: breaking
-- Samples are stored as one float8[] per run x benchmark x metric: element i is repetition i.
-- Arrays keep the table ~30x smaller than one row per sample and make both COPY ingest and
-- history reads cheap; sample-level SQL is still one unnest() away.

CREATE TABLE project (
    id          bigserial PRIMARY KEY,
    name        text NOT NULL UNIQUE CHECK (name <> ''),
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE testbed (
    id           bigserial PRIMARY KEY,
    project_id   bigint NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    name         text NOT NULL CHECK (name <> ''),
    fingerprint  jsonb NOT NULL DEFAULT '{}',
    UNIQUE (project_id, name)
);

CREATE TABLE branch (
    id          bigserial PRIMARY KEY,
    project_id  bigint NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    name        text NOT NULL CHECK (name <> ''),
    UNIQUE (project_id, name)
);

CREATE TABLE commit (
    id           bigserial PRIMARY KEY,
    project_id   bigint NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    sha          text NOT NULL CHECK (sha <> ''),
    commit_time  timestamptz,
    parent_sha   text,
    subject      text,
    UNIQUE (project_id, sha)
);

CREATE TABLE run (
    id           bigserial PRIMARY KEY,
    project_id   bigint NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    testbed_id   bigint NOT NULL REFERENCES testbed (id) ON DELETE CASCADE,
    branch_id    bigint NOT NULL REFERENCES branch (id) ON DELETE CASCADE,
    commit_id    bigint NOT NULL REFERENCES commit (id) ON DELETE CASCADE,
    run_key      text NOT NULL CHECK (run_key <> ''),
    started_at   timestamptz NOT NULL,
    ended_at     timestamptz NOT NULL,
    -- 'complete', or 'partial' when some benchmark failed (its results are kept and marked)
    status       text NOT NULL CHECK (status IN ('complete', 'partial')),
    context      jsonb NOT NULL DEFAULT '{}',
    ingested_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (project_id, run_key)
);
-- The history of one project x testbed x branch, in commit order.
CREATE INDEX run_history_idx ON run (project_id, testbed_id, branch_id, commit_id);
CREATE INDEX run_commit_idx ON run (commit_id);
CREATE INDEX commit_time_idx ON commit (project_id, commit_time);

-- Each ingested part of a run (the whole run, or one shard). The primary key makes a second
-- ingest of the same part a no-op, even from two processes at once.
CREATE TABLE run_part (
    run_id       bigint NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    part_key     text NOT NULL,
    ingested_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, part_key)
);

-- Identity is suite + name + params. params_key is the canonical text of params (sorted keys,
-- compact), written by perftrack: text comparisons keep the identity lookups of a 10,000-series
-- ingest cheap, and params (jsonb) serves queries.
CREATE TABLE benchmark (
    id          bigserial PRIMARY KEY,
    project_id  bigint NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    suite       text NOT NULL DEFAULT '',
    name        text NOT NULL CHECK (name <> ''),
    params      jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(params) = 'object'),
    params_key  text NOT NULL DEFAULT '{}',
    UNIQUE (project_id, suite, name, params_key)
);

CREATE TABLE metric (
    id          bigserial PRIMARY KEY,
    project_id  bigint NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    name        text NOT NULL CHECK (name <> ''),
    unit        text NOT NULL,
    direction   text NOT NULL CHECK (direction IN ('lower', 'higher')),
    UNIQUE (project_id, name, unit)
);

CREATE TABLE sample (
    run_id        bigint NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    benchmark_id  bigint NOT NULL REFERENCES benchmark (id) ON DELETE CASCADE,
    metric_id     bigint NOT NULL REFERENCES metric (id) ON DELETE CASCADE,
    samples       float8[] NOT NULL CHECK (cardinality(samples) > 0),
    PRIMARY KEY (run_id, benchmark_id, metric_id)
);
-- One series across runs.
CREATE INDEX sample_series_idx ON sample (benchmark_id, metric_id);

CREATE TABLE benchmark_failure (
    run_id        bigint NOT NULL REFERENCES run (id) ON DELETE CASCADE,
    benchmark_id  bigint NOT NULL REFERENCES benchmark (id) ON DELETE CASCADE,
    message       text NOT NULL,
    PRIMARY KEY (run_id, benchmark_id)
);

CREATE TABLE baseline_reset (
    id              bigserial PRIMARY KEY,
    project_id      bigint NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    testbed_id      bigint REFERENCES testbed (id) ON DELETE CASCADE,  -- NULL: every testbed
    benchmark_glob  text NOT NULL,
    metric          text,                                              -- NULL: every metric
    commit_id       bigint NOT NULL REFERENCES commit (id) ON DELETE CASCADE,
    reason          text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX baseline_reset_project_idx ON baseline_reset (project_id);
