CREATE TYPE "public"."action_call_status" AS ENUM('awaiting_confirmation', 'awaiting_approval', 'ready', 'running', 'completed', 'failed', 'cancelled', 'rejected');--> statement-breakpoint
CREATE TYPE "public"."action_effect" AS ENUM('read', 'write');--> statement-breakpoint
CREATE TYPE "public"."action_kind" AS ENUM('http', 'mcp');--> statement-breakpoint
CREATE TABLE "action_calls" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"action_id" uuid,
	"action_name" text NOT NULL,
	"conversation_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"input" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"summary" text NOT NULL,
	"status" "action_call_status" NOT NULL,
	"request" jsonb,
	"response" jsonb,
	"error" text,
	"confirmed_at" timestamp with time zone,
	"decided_by_id" uuid,
	"decided_at" timestamp with time zone,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "actions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"label" text NOT NULL,
	"description" text NOT NULL,
	"kind" "action_kind" NOT NULL,
	"inputs" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"http" jsonb,
	"secrets" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"mcp" jsonb,
	"effect" "action_effect" NOT NULL,
	"verified_only" boolean DEFAULT true NOT NULL,
	"needs_approval" boolean DEFAULT false NOT NULL,
	"rate_limit_per_hour" integer DEFAULT 60 NOT NULL,
	"examples" text[] DEFAULT '{}'::text[] NOT NULL,
	"reply_template" text DEFAULT '' NOT NULL,
	"enabled" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "actions_name_unique" UNIQUE("name")
);
--> statement-breakpoint
ALTER TABLE "action_calls" ADD CONSTRAINT "action_calls_action_id_actions_id_fk" FOREIGN KEY ("action_id") REFERENCES "public"."actions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_calls" ADD CONSTRAINT "action_calls_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_calls" ADD CONSTRAINT "action_calls_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_calls" ADD CONSTRAINT "action_calls_decided_by_id_users_id_fk" FOREIGN KEY ("decided_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "action_calls_conversation_idx" ON "action_calls" USING btree ("conversation_id","created_at");--> statement-breakpoint
CREATE INDEX "action_calls_status_idx" ON "action_calls" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "action_calls_customer_action_idx" ON "action_calls" USING btree ("customer_id","action_name","created_at");