CREATE TYPE "public"."procedure_run_status" AS ENUM('active', 'completed', 'handed_off', 'left');--> statement-breakpoint
CREATE TYPE "public"."procedure_status" AS ENUM('draft', 'published');--> statement-breakpoint
CREATE TABLE "procedure_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conversation_id" uuid NOT NULL,
	"procedure_id" uuid,
	"procedure_name" text NOT NULL,
	"version" integer NOT NULL,
	"step_id" text NOT NULL,
	"values" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"waiting" text,
	"status" "procedure_run_status" DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "procedures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"description" text NOT NULL,
	"examples" text[] DEFAULT '{}'::text[] NOT NULL,
	"status" "procedure_status" DEFAULT 'draft' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"steps" jsonb NOT NULL,
	"published_steps" jsonb,
	"published_version" integer,
	"history" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"published_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "procedures_name_unique" UNIQUE("name")
);
--> statement-breakpoint
ALTER TABLE "procedure_runs" ADD CONSTRAINT "procedure_runs_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "procedure_runs" ADD CONSTRAINT "procedure_runs_procedure_id_procedures_id_fk" FOREIGN KEY ("procedure_id") REFERENCES "public"."procedures"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "procedure_runs_active_idx" ON "procedure_runs" USING btree ("conversation_id") WHERE "procedure_runs"."status" = 'active';--> statement-breakpoint
CREATE INDEX "procedure_runs_conversation_idx" ON "procedure_runs" USING btree ("conversation_id","created_at");