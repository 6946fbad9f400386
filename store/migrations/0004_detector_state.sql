-- perftrack schema, version 4: saved detector states, so that `check` steps the online detector
-- over the commits it has not seen instead of replaying its whole window (issue 16).
-- compatibility: additive (a new table; older binaries never read it)
-- Only a cache: each series' entry carries a hash of the points, resets and window it was
-- computed from, and the detector uses it only when the points it has just read hash the same
-- (reports/detect/detector_state.hpp). The fingerprint covers the detection settings and the
-- detector's code, so a change of either starts afresh.

CREATE TABLE detector_state (
    project_id    bigint NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    testbed_id    bigint NOT NULL REFERENCES testbed (id) ON DELETE CASCADE,
    branch_id     bigint NOT NULL REFERENCES branch (id) ON DELETE CASCADE,
    fingerprint   text NOT NULL,
    -- the replay window's first timeline position, and the position the states stand before
    window_start  integer NOT NULL,
    end_position  integer NOT NULL,
    -- one line per series, written and read by reports/detect/detector_state.cpp
    states        text NOT NULL,
    written_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, testbed_id, branch_id, fingerprint, window_start, end_position)
);
