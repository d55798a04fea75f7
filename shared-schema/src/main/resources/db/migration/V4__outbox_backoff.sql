-- A row the broker refused (nack, no confirm in time) is retried with exponential back-off rather
-- than at every poll: the relay only takes rows whose next attempt is due. The pending index
-- (producer, seq where sent_at is null) still serves the relay's query.
alter table outbox add column next_attempt_at timestamptz;

comment on column outbox.next_attempt_at is 'Null: publish as soon as possible. Set after a failed attempt: not before then.';
