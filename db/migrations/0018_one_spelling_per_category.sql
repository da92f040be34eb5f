-- Help articles were filed under `orders-shipping` while the taxonomy says `orders_shipping`:
-- every category is stored as the taxonomy's snake_case key (lib/text/labels.ts categoryKey).
UPDATE "kb_documents" SET "category" = lower(regexp_replace(btrim("category"), '[[:space:]-]+', '_', 'g'))
  WHERE "category" <> lower(regexp_replace(btrim("category"), '[[:space:]-]+', '_', 'g'));--> statement-breakpoint
UPDATE "knowledge_gaps" SET "category" = lower(regexp_replace(btrim("category"), '[[:space:]-]+', '_', 'g'))
  WHERE "category" <> lower(regexp_replace(btrim("category"), '[[:space:]-]+', '_', 'g'));--> statement-breakpoint
UPDATE "conversations" SET "category" = lower(regexp_replace(btrim("category"), '[[:space:]-]+', '_', 'g'))
  WHERE "category" <> lower(regexp_replace(btrim("category"), '[[:space:]-]+', '_', 'g'));
