ALTER TABLE "procedures" ADD COLUMN "published_description" text;--> statement-breakpoint
ALTER TABLE "procedures" ADD COLUMN "published_examples" text[];--> statement-breakpoint
-- A version published before this change keeps the text the procedure has now.
UPDATE "procedures" SET "published_description" = "description", "published_examples" = "examples" WHERE "published_steps" IS NOT NULL;--> statement-breakpoint
UPDATE "procedures" SET "history" = COALESCE((SELECT jsonb_object_agg(h.key, CASE WHEN jsonb_typeof(h.value) = 'array' THEN jsonb_build_object('description', "procedures"."description", 'examples', to_jsonb("procedures"."examples"), 'steps', h.value) ELSE h.value END) FROM jsonb_each("procedures"."history") AS h), '{}'::jsonb);
