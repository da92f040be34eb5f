CREATE TYPE "public"."knowledge_gap_reason" AS ENUM('abstained', 'escalated');--> statement-breakpoint
CREATE TYPE "public"."resolved_by" AS ENUM('ai', 'human');--> statement-breakpoint
CREATE TABLE "csat_ratings" (
	"conversation_id" uuid PRIMARY KEY NOT NULL,
	"customer_id" uuid NOT NULL,
	"agent_id" uuid,
	"rating" integer NOT NULL,
	"comment" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "csat_rating_range" CHECK ("csat_ratings"."rating" between 1 and 5)
);
--> statement-breakpoint
CREATE TABLE "knowledge_gaps" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conversation_id" uuid NOT NULL,
	"message_id" uuid,
	"question" text NOT NULL,
	"reason" "knowledge_gap_reason" NOT NULL,
	"category" text,
	"language" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "message_citations" (
	"message_id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"document_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "message_citations_message_id_document_id_pk" PRIMARY KEY("message_id","document_id")
);
--> statement-breakpoint
CREATE TABLE "message_feedback" (
	"message_id" uuid PRIMARY KEY NOT NULL,
	"conversation_id" uuid NOT NULL,
	"helpful" boolean NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "first_ai_reply_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "first_agent_reply_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "claimed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "handled_by_human" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "resolved_by" "resolved_by";--> statement-breakpoint
ALTER TABLE "csat_ratings" ADD CONSTRAINT "csat_ratings_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "csat_ratings" ADD CONSTRAINT "csat_ratings_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "csat_ratings" ADD CONSTRAINT "csat_ratings_agent_id_users_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_gaps" ADD CONSTRAINT "knowledge_gaps_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_gaps" ADD CONSTRAINT "knowledge_gaps_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_citations" ADD CONSTRAINT "message_citations_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_citations" ADD CONSTRAINT "message_citations_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_citations" ADD CONSTRAINT "message_citations_document_id_kb_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."kb_documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_feedback" ADD CONSTRAINT "message_feedback_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_feedback" ADD CONSTRAINT "message_feedback_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "csat_ratings_created_idx" ON "csat_ratings" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "knowledge_gaps_created_idx" ON "knowledge_gaps" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "message_citations_document_idx" ON "message_citations" USING btree ("document_id","created_at");--> statement-breakpoint
CREATE INDEX "message_feedback_conversation_idx" ON "message_feedback" USING btree ("conversation_id");--> statement-breakpoint
CREATE INDEX "conversations_created_idx" ON "conversations" USING btree ("created_at");--> statement-breakpoint
UPDATE "conversations" c SET
  "first_ai_reply_at" = (SELECT min(m."created_at") FROM "messages" m WHERE m."conversation_id" = c."id" AND m."role" = 'ai'),
  "first_agent_reply_at" = (SELECT min(m."created_at") FROM "messages" m WHERE m."conversation_id" = c."id" AND m."role" = 'agent'),
  "claimed_at" = (SELECT max(m."created_at") FROM "messages" m WHERE m."conversation_id" = c."id" AND m."role" = 'system' AND m."metadata"->>'event' IN ('joined', 'transferred')),
  "handled_by_human" = c."assigned_agent_id" IS NOT NULL OR EXISTS (SELECT 1 FROM "messages" m WHERE m."conversation_id" = c."id" AND m."role" = 'agent'),
  "resolved_by" = CASE WHEN c."status" = 'resolved' THEN (CASE WHEN c."assigned_agent_id" IS NOT NULL THEN 'human' ELSE 'ai' END)::"resolved_by" END;--> statement-breakpoint
INSERT INTO "message_citations" ("message_id", "conversation_id", "document_id", "created_at")
SELECT DISTINCT m."id", m."conversation_id", d."id", m."created_at"
FROM "messages" m
CROSS JOIN LATERAL jsonb_array_elements(coalesce(m."metadata"->'citations', '[]'::jsonb)) AS c(citation)
JOIN "kb_documents" d ON d."id"::text = c.citation->>'documentId'
WHERE m."role" = 'ai'
ON CONFLICT DO NOTHING;
