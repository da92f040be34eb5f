ALTER TYPE "public"."action_call_status" ADD VALUE 'expired';--> statement-breakpoint
CREATE TABLE "mcp_connectors" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"url" text NOT NULL,
	"headers" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"secrets" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"timeout_ms" integer DEFAULT 10000 NOT NULL,
	"max_bytes" integer DEFAULT 262144 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mcp_connectors_name_unique" UNIQUE("name")
);
--> statement-breakpoint
ALTER TABLE "action_calls" ADD COLUMN "expires_at" timestamp with time zone;