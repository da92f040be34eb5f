ALTER TABLE "users" ALTER COLUMN "availability" SET DEFAULT 'online';--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "last_active_at" timestamp with time zone;--> statement-breakpoint
-- "away" used to be every account's starting state, not a choice, so it cannot be kept as one:
-- everyone starts from "online whenever their console is open and in use".
UPDATE "users" SET "availability" = 'online' WHERE "deactivated_at" IS NULL;
