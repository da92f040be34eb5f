CREATE TYPE "public"."desk_test_run_status" AS ENUM('running', 'completed', 'failed');--> statement-breakpoint
CREATE TABLE "desk_test_cases" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"definition" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "desk_test_results" (
	"run_id" uuid NOT NULL,
	"case_id" text NOT NULL,
	"position" integer NOT NULL,
	"kind" text NOT NULL,
	"definition" jsonb NOT NULL,
	"passes" integer NOT NULL,
	"attempts" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "desk_test_results_run_id_case_id_pk" PRIMARY KEY("run_id","case_id")
);
--> statement-breakpoint
CREATE TABLE "desk_test_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"status" "desk_test_run_status" DEFAULT 'running' NOT NULL,
	"started_by" text NOT NULL,
	"started_by_id" uuid,
	"model" text NOT NULL,
	"k" integer NOT NULL,
	"desk" jsonb,
	"total" integer NOT NULL,
	"done" integer DEFAULT 0 NOT NULL,
	"summary" jsonb,
	"error" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "desk_test_results" ADD CONSTRAINT "desk_test_results_run_id_desk_test_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."desk_test_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "desk_test_runs" ADD CONSTRAINT "desk_test_runs_started_by_id_users_id_fk" FOREIGN KEY ("started_by_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "desk_test_results_case_idx" ON "desk_test_results" USING btree ("case_id","created_at");--> statement-breakpoint
CREATE INDEX "desk_test_runs_started_idx" ON "desk_test_runs" USING btree ("started_at");