import { z } from 'zod';
import { MAX_ATTEMPTS } from '@/lib/server/desk-tests';
import { documentEditFields, uploadFields } from '../schemas';

/** The unpublished change: an article's edit, a new Markdown article, or a deletion. */
const change = z.discriminatedUnion('action', [
  z.object({ action: z.literal('edit'), id: z.uuid(), ...documentEditFields.shape }),
  z.object({
    action: z.literal('add'),
    /** The article as a Markdown file would be uploaded, front matter optional. */
    markdown: z.string().trim().min(1, 'must not be empty').max(1_000_000),
    category: uploadFields.shape.category,
  }),
  z.object({ action: z.literal('delete'), id: z.uuid() }),
]);

export const previewTestsFields = z.object({
  change,
  /** Attempts per case on each side; by default one with the offline model, three with a sampling model. */
  k: z.number().int().min(1).max(MAX_ATTEMPTS).optional(),
});
