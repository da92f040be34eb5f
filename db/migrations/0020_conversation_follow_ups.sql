ALTER TABLE "conversations" ADD COLUMN "previous_conversation_id" uuid;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "inactivity_asked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "resolved_for_inactivity" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_previous_conversation_id_conversations_id_fk" FOREIGN KEY ("previous_conversation_id") REFERENCES "public"."conversations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "conversations_previous_idx" ON "conversations" USING btree ("previous_conversation_id");