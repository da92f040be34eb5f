CREATE TYPE "public"."sentiment_trend" AS ENUM('improving', 'steady', 'worsening');--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "frustration" real;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "sentiment_trend" "sentiment_trend";--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "topic" text;--> statement-breakpoint
-- Conversations from before this release carried their latest message's reading: they take the
-- worst of their customer's messages since they were last resolved, as new messages now set it.
UPDATE "conversations" c SET
  "priority" = coalesce(l.priority, c.priority),
  "sentiment" = coalesce(l.sentiment, c.sentiment),
  "frustration" = l.frustration
FROM (
  SELECT m.conversation_id,
    max((m.metadata->'classification'->>'priority')::priority) AS priority,
    min((m.metadata->'classification'->'sentiment'->>'polarity')::real) AS sentiment,
    max((m.metadata->'classification'->'sentiment'->>'frustration')::real) AS frustration
  FROM "messages" m
  WHERE m.role = 'customer' AND m.metadata ? 'classification'
    AND m.created_at > coalesce((SELECT max(r.created_at) FROM "messages" r
      WHERE r.conversation_id = m.conversation_id AND r.role = 'system'
        AND r.metadata->>'event' = 'resolved'), '-infinity'::timestamptz)
  GROUP BY m.conversation_id
) l
WHERE l.conversation_id = c.id;
