-- Up Migration
-- view_seconds is the snap's whole view window: the sender's 1–10 s, or a video's own
-- length (up to the video limit) when longer, stored once the duration is known, so that
-- lists, events and open all report the same window.
alter table snaps drop constraint snaps_view_seconds_check;
alter table snaps add constraint snaps_view_seconds_check check (view_seconds >= 1);
update snaps set view_seconds = ceil(m.duration_ms / 1000.0)::int
  from media m
  where m.id = snaps.media_id and m.duration_ms is not null and ceil(m.duration_ms / 1000.0) > snaps.view_seconds;

-- Down Migration
update snaps set view_seconds = least(view_seconds, 10);
alter table snaps drop constraint snaps_view_seconds_check;
alter table snaps add constraint snaps_view_seconds_check check (view_seconds between 1 and 10);
