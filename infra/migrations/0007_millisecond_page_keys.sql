-- Up Migration
-- The timestamps that lists are paged by keep milliseconds: the precision of a JavaScript
-- Date, and so of a page cursor. With microseconds, a row a few microseconds older than a
-- page's last row, in the same millisecond, compared greater than the cursor's time (cut
-- to the millisecond) and appeared on no page. Existing values are rounded; ties are
-- broken by id, as they always were.
alter table friend_requests alter column created_at type timestamptz(3);
alter table friendships alter column created_at type timestamptz(3);
alter table blocks alter column created_at type timestamptz(3);
alter table snaps alter column sent_at type timestamptz(3);

-- Down Migration
alter table friend_requests alter column created_at type timestamptz;
alter table friendships alter column created_at type timestamptz;
alter table blocks alter column created_at type timestamptz;
alter table snaps alter column sent_at type timestamptz;
