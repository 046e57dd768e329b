-- Up Migration
-- GET /v1/me/sessions is paged like every other list, newest sign-in first: its key keeps
-- milliseconds, the precision of a page cursor (see 0007).
alter table sessions alter column created_at type timestamptz(3);

-- Down Migration
alter table sessions alter column created_at type timestamptz;
