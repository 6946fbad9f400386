-- perftrack schema, version 2: alerts, so that one regression is announced once.
-- compatibility: additive (new tables only: binaries of version 1 never touch them)
-- An alert is one regression of one series (benchmark x metric) on one testbed and branch. While
-- it is active (open or acknowledged) every later check that still shows the regression updates
-- it; the partial unique index makes "update the active alert, else create one" a single atomic
-- INSERT ... ON CONFLICT, even with many CI jobs checking at once.

CREATE TABLE alert (
    id                 bigserial PRIMARY KEY,
    project_id         bigint NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    testbed_id         bigint NOT NULL REFERENCES testbed (id) ON DELETE CASCADE,
    branch_id          bigint NOT NULL REFERENCES branch (id) ON DELETE CASCADE,
    benchmark_id       bigint NOT NULL REFERENCES benchmark (id) ON DELETE CASCADE,
    metric_id          bigint NOT NULL REFERENCES metric (id) ON DELETE CASCADE,
    -- what found it: an online check, or change-point analysis of the branch's history
    source             text NOT NULL CHECK (source IN ('check', 'change_point')),
    status             text NOT NULL DEFAULT 'open'
                       CHECK (status IN ('open', 'acknowledged', 'resolved')),
    -- where the regression began (the checked commit, or the located change point)
    commit_id          bigint NOT NULL REFERENCES commit (id) ON DELETE CASCADE,
    -- the newest commit that still showed it
    last_commit_id     bigint NOT NULL REFERENCES commit (id) ON DELETE CASCADE,
    -- change in percent of the old level, with its 95 % confidence interval (latest sighting)
    change_pct         float8 NOT NULL,
    ci_low_pct         float8,
    ci_high_pct        float8,
    p_value            float8,
    q_value            float8,
    -- the old level (baseline median when first seen; fixed, so "back to the old level" can be
    -- judged after the rolling baseline has absorbed the new one) and the regressed level
    baseline_value     float8,
    regressed_value    float8,
    times_seen         integer NOT NULL DEFAULT 1 CHECK (times_seen > 0),  -- distinct commits
    opened_at          timestamptz NOT NULL DEFAULT now(),
    last_seen_at       timestamptz NOT NULL DEFAULT now(),
    acknowledged_at    timestamptz,
    note               text,
    resolved_at        timestamptz,
    -- manual: 'perftrack alerts resolve'; recovered: the series returned to its old level;
    -- baseline_reset: a baseline reset declared the change intended
    resolution         text CHECK (resolution IN ('manual', 'recovered', 'baseline_reset')),
    baseline_reset_id  bigint REFERENCES baseline_reset (id) ON DELETE SET NULL,
    CHECK ((status = 'resolved') = (resolved_at IS NOT NULL)),
    CHECK ((status = 'resolved') = (resolution IS NOT NULL))
);
-- At most one active alert per series, testbed and branch.
CREATE UNIQUE INDEX alert_active_series_idx
    ON alert (project_id, testbed_id, branch_id, benchmark_id, metric_id)
    WHERE status <> 'resolved';
CREATE INDEX alert_project_idx ON alert (project_id, status);

-- Delivery of an alert to each channel ('slack', 'webhook', 'github'). A channel that still
-- failed after its retries leaves a 'pending' row; the next check of the same project, testbed
-- and branch sends it again.
CREATE TABLE alert_delivery (
    alert_id      bigint NOT NULL REFERENCES alert (id) ON DELETE CASCADE,
    channel       text NOT NULL CHECK (channel <> ''),
    state         text NOT NULL CHECK (state IN ('pending', 'delivered')),
    attempts      integer NOT NULL DEFAULT 0,  -- HTTP requests so far, retries included
    last_error    text,                        -- redacted: never a token or a webhook URL
    updated_at    timestamptz NOT NULL DEFAULT now(),
    delivered_at  timestamptz,
    PRIMARY KEY (alert_id, channel)
);
CREATE INDEX alert_delivery_pending_idx ON alert_delivery (channel) WHERE state = 'pending';
