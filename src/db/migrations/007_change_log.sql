-- The change log (an outbox): one row per change, written in the transaction that makes the
-- change, numbered per client in commit order without gaps (docs/changes.md#sequence).
create table change_counters (
  client_id integer primary key references clients,
  -- the last sequence number given out; its row lock orders concurrent writers of the client
  last_seq bigint not null default 0,
  -- events up to this sequence number were pruned (retention): older cursors answer 410
  pruned_through bigint not null default 0
);

create table change_log (
  client_id integer not null references clients,
  seq bigint not null,
  type text not null,
  occurred_at timestamptz not null default now(),
  object jsonb not null,
  primary key (client_id, seq)
);
create index change_log_retention on change_log (occurred_at);
