-- The serving tables: the lake's aggregated zones user_daily and zone_daily, one row per key, with the zones' Parquet
-- columns (ServingSchemaTest compares them with the writers' schemas). Loaded by tripbeam after each lake publication.

CREATE TABLE user_daily (
    user_id          text             NOT NULL,
    pickup_date      date             NOT NULL,
    trips            bigint           NOT NULL,
    distance_miles   double precision NOT NULL,
    total_cents      bigint           NOT NULL,
    first_pickup_ts  timestamptz      NOT NULL,
    last_dropoff_ts  timestamptz      NOT NULL,
    journeys         bigint           NOT NULL,
    distinct_zones   bigint           NOT NULL,
    PRIMARY KEY (user_id, pickup_date)
);

-- A load replaces one pickup date at a time: it finds the date's rows through this index.
CREATE INDEX user_daily_pickup_date ON user_daily (pickup_date);

CREATE TABLE zone_daily (
    pickup_date      date             NOT NULL,
    pu_zone_id       integer          NOT NULL,
    borough          text             NOT NULL,
    zone             text             NOT NULL,
    trips            bigint           NOT NULL,
    passengers       bigint           NOT NULL,
    distance_miles   double precision NOT NULL,
    fare_cents       bigint           NOT NULL,
    tip_cents        bigint           NOT NULL,
    total_cents      bigint           NOT NULL,
    avg_duration_s   double precision NOT NULL,
    PRIMARY KEY (pickup_date, pu_zone_id)
);

-- Which version of each lake partition a table holds: the partition's files (names and sizes, hashed) when it was
-- loaded. A load brings every date whose version differs from the lake's, and removes dates the lake no longer has.
CREATE TABLE serving_dates (
    table_name         text        NOT NULL,
    pickup_date        date        NOT NULL,
    partition_version  text        NOT NULL,
    lake_run_id        text        NOT NULL,
    row_count          bigint      NOT NULL,
    loaded_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (table_name, pickup_date)
);

-- One row per finished load, by the tripbeam run (or --serveOnly command) that made it.
CREATE TABLE serving_loads (
    load_id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id          text        NOT NULL,
    started_at      timestamptz NOT NULL,
    finished_at     timestamptz NOT NULL DEFAULT now(),
    dates_loaded    integer     NOT NULL,
    dates_removed   integer     NOT NULL,
    rows_inserted   bigint      NOT NULL,
    rows_updated    bigint      NOT NULL,
    rows_unchanged  bigint      NOT NULL,
    rows_deleted    bigint      NOT NULL
);
