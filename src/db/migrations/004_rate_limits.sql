-- Per-integration request limit of the integration API (requests per minute per token);
-- null: the server's RATE_LIMIT_PER_MINUTE, 0: unlimited.
alter table integrations add column rate_limit_per_minute integer check (rate_limit_per_minute >= 0);
