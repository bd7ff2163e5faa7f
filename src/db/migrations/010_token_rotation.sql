-- Token rotation: a rotated token names its successor and keeps working until its grace period
-- ends (expires_at), then is refused like a revoked one. A token never rotated has neither.
alter table api_tokens add column expires_at timestamptz;
alter table api_tokens add column rotated_to integer;
alter table api_tokens add foreign key (client_id, rotated_to) references api_tokens;

-- The operator console's records screens search and filter server-side, newest first:
-- integration API calls by endpoint or integration,
create index audit_log_endpoint on audit_log (client_id, endpoint, id desc);
create index audit_log_integration on audit_log (client_id, integration_id, id desc);
-- users by the start of the full name "first last" (which covers the first name) or of the last
-- name, in any case, and by unique id.
create index users_last_name_prefix on users (client_id, lower(last_name) text_pattern_ops);
create index users_full_name_prefix on users (client_id, lower(coalesce(first_name, '') || ' ' || coalesce(last_name, '')) text_pattern_ops);
create index users_unique_id on users (client_id, unique_id);
