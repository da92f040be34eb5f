CREATE TYPE "public"."demo_order_status" AS ENUM('processing', 'packed', 'dispatched', 'out_for_delivery', 'delivered', 'delivery_attempted', 'cancelled');--> statement-breakpoint
CREATE TABLE "demo_orders" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" text NOT NULL,
	"customer" text NOT NULL,
	"status" "demo_order_status" NOT NULL,
	"items" jsonb NOT NULL,
	"currency" text NOT NULL,
	"total" integer NOT NULL,
	"delivery_address" text NOT NULL,
	"courier" text,
	"tracking_number" text,
	"placed_at" timestamp with time zone NOT NULL,
	"dispatched_at" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"return_number" text,
	"return_reason" text,
	"return_label_key" text,
	"return_started_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "demo_orders_number_unique" UNIQUE("number"),
	CONSTRAINT "demo_orders_return_number_unique" UNIQUE("return_number"),
	CONSTRAINT "demo_orders_return_label_key_unique" UNIQUE("return_label_key")
);
--> statement-breakpoint
CREATE INDEX "demo_orders_customer_idx" ON "demo_orders" USING btree ("customer","placed_at");