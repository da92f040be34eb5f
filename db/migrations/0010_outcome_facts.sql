ALTER TABLE "conversations" ADD COLUMN "reply_verdict" text;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "last_reply_id" uuid;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "last_speaker" text;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "last_spoken_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "with_team" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "first_resolved_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "reopened_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "facts_at" timestamp with time zone;--> statement-breakpoint
-- One message applied, in order, to its conversation's outcome facts. QUIET is 24 hours, as
-- QUIET_HOURS in lib/analytics/outcomes.ts: an answer followed by a quiet day while the
-- conversation was with the AI is an assumed resolution.
CREATE FUNCTION tandem_outcome_step(m messages) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  f record;
  first_at timestamptz;
BEGIN
  IF m.role = 'system' THEN
    UPDATE conversations SET
      with_team = CASE
        WHEN m.metadata->>'event' IN ('escalated', 'joined', 'transferred') THEN true
        WHEN m.metadata->>'event' IN ('handed_back', 'resolved') THEN false
        ELSE with_team END,
      first_resolved_at = CASE WHEN m.metadata->>'event' = 'resolved'
        THEN coalesce(first_resolved_at, m.created_at) ELSE first_resolved_at END,
      facts_at = greatest(facts_at, m.created_at)
    WHERE id = m.conversation_id;
    RETURN;
  END IF;
  SELECT c.reply_verdict, c.last_speaker, c.last_spoken_at, c.with_team, c.first_resolved_at, c.reopened_at
    INTO f FROM conversations c WHERE c.id = m.conversation_id;
  first_at := f.first_resolved_at;
  IF first_at IS NULL AND f.last_speaker IN ('ai', 'agent') AND f.reply_verdict = 'answered'
     AND NOT f.with_team AND m.created_at >= f.last_spoken_at + interval '24 hours' THEN
    first_at := f.last_spoken_at;
  END IF;
  UPDATE conversations SET
    first_resolved_at = first_at,
    reopened_at = CASE WHEN m.role = 'customer' AND f.reopened_at IS NULL
      AND first_at IS NOT NULL AND m.created_at > first_at THEN m.created_at ELSE f.reopened_at END,
    reply_verdict = CASE
      WHEN m.role = 'agent' THEN 'answered'
      WHEN m.role = 'ai' AND coalesce((m.metadata->>'smallTalk')::boolean, false) THEN f.reply_verdict
      WHEN m.role = 'ai' AND (coalesce((m.metadata->>'abstained')::boolean, false) OR m.metadata->'escalation' IS NOT NULL) THEN 'unanswered'
      WHEN m.role = 'ai' AND EXISTS (SELECT 1 FROM message_feedback fb WHERE fb.message_id = m.id AND NOT fb.helpful) THEN 'unhelpful'
      WHEN m.role = 'ai' THEN 'answered'
      ELSE f.reply_verdict END,
    last_reply_id = CASE WHEN m.role = 'agent'
      OR (m.role = 'ai' AND NOT coalesce((m.metadata->>'smallTalk')::boolean, false))
      THEN m.id ELSE last_reply_id END,
    last_speaker = m.role,
    last_spoken_at = m.created_at,
    facts_at = greatest(facts_at, m.created_at)
  WHERE id = m.conversation_id;
END $$;
--> statement-breakpoint
-- The facts of one conversation worked out again from its whole transcript.
CREATE FUNCTION tandem_refresh_outcome_facts(conversation uuid) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  m messages;
BEGIN
  UPDATE conversations SET reply_verdict = NULL, last_reply_id = NULL, last_speaker = NULL,
    last_spoken_at = NULL, with_team = false, first_resolved_at = NULL, reopened_at = NULL,
    facts_at = NULL
  WHERE id = conversation;
  FOR m IN SELECT * FROM messages WHERE conversation_id = conversation ORDER BY created_at, id LOOP
    PERFORM tandem_outcome_step(m);
  END LOOP;
END $$;
--> statement-breakpoint
CREATE FUNCTION tandem_message_outcome_facts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- A message dated before what the facts already include (an import, a backfill) replays the transcript.
  IF EXISTS (SELECT 1 FROM conversations WHERE id = NEW.conversation_id AND facts_at > NEW.created_at) THEN
    PERFORM tandem_refresh_outcome_facts(NEW.conversation_id);
  ELSE
    PERFORM tandem_outcome_step(NEW);
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER messages_outcome_facts AFTER INSERT ON messages
  FOR EACH ROW EXECUTE FUNCTION tandem_message_outcome_facts();
--> statement-breakpoint
-- A thumbs up or down on the latest reply changes how the conversation ends.
CREATE FUNCTION tandem_feedback_outcome_facts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE conversations SET reply_verdict = CASE WHEN NEW.helpful THEN 'answered' ELSE 'unhelpful' END
  WHERE id = NEW.conversation_id AND last_reply_id = NEW.message_id
    AND reply_verdict IN ('answered', 'unhelpful');
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER message_feedback_outcome_facts AFTER INSERT OR UPDATE OF helpful ON message_feedback
  FOR EACH ROW EXECUTE FUNCTION tandem_feedback_outcome_facts();
--> statement-breakpoint
-- Existing conversations; one whose transcript the retention policy deleted keeps what the
-- dashboard judged it by before: answered if the AI had replied.
SELECT tandem_refresh_outcome_facts(id) FROM conversations;
--> statement-breakpoint
UPDATE conversations SET reply_verdict = 'answered', last_speaker = 'ai'
WHERE last_speaker IS NULL AND first_ai_reply_at IS NOT NULL;
