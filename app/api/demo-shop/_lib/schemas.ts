import { z } from 'zod';
import { RETURN_REASONS } from './orders';

/*
 * What the demo shop's API accepts, validated by its routes and described by its OpenAPI
 * document from the same schemas. `customer` is the shop's own customer id, which is the site
 * user id its widget signs customers in with: the demo actions fill it from the verified
 * customer, never from the conversation.
 */

const customer = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .describe("The shop's customer id (the site user id the customer is signed in with).");

export const orderQuery = z.object({ customer });

export const cancelBody = z.object({ customer });

export const addressBody = z.object({
  customer,
  address: z
    .string()
    .trim()
    .min(10, 'must be a full address, with the street and postal code')
    .max(300)
    .describe('The full new delivery address, with the street, unit and postal code.'),
});

export const returnBody = z.object({
  customer,
  reason: z.enum(RETURN_REASONS).describe('Why the item is going back.'),
});
