import { z } from 'zod';
import { RETURN_REASONS, STATUS_LABELS } from './orders';
import { addressBody, cancelBody, orderQuery, returnBody } from './schemas';

const jsonSchema = (schema: z.ZodType) => {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io: 'input',
  }) as Record<string, unknown>;
  return rest;
};

const nullableString = { type: 'string', nullable: true };

const orderSchema = {
  type: 'object',
  properties: {
    number: { type: 'string', example: '#PC105120' },
    status: { type: 'string', enum: Object.keys(STATUS_LABELS) },
    status_label: { type: 'string', example: 'Processing' },
    status_detail: { type: 'string', description: 'The order’s state in one sentence.' },
    placed_on: { type: 'string', example: '3 December 2026' },
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: { name: { type: 'string' }, quantity: { type: 'integer' } },
      },
    },
    total: { type: 'string', example: 'S$62.00' },
    delivery_address: { type: 'string' },
    courier: nullableString,
    tracking_number: nullableString,
    dispatched_on: nullableString,
    delivered_on: nullableString,
    cancelled_on: nullableString,
    can_cancel: { type: 'boolean' },
    can_change_address: { type: 'boolean' },
    returnable_until: nullableString,
    return: {
      type: 'object',
      nullable: true,
      properties: {
        number: { type: 'string', example: 'RT-482913' },
        reason: { type: 'string', enum: [...RETURN_REASONS] },
        started_on: { type: 'string' },
        send_by: { type: 'string' },
        label_url: { type: 'string', format: 'uri' },
      },
    },
  },
};

const orderNumber = {
  name: 'number',
  in: 'path',
  required: true,
  description: 'The order number, e.g. PC105120 (a leading # is accepted).',
  schema: { type: 'string', pattern: '^#?[Pp][Cc]\\d{6}$' },
};

const answers = (success: string) => ({
  '200': {
    description: success,
    content: {
      'application/json': {
        schema: { type: 'object', properties: { order: { $ref: '#/components/schemas/Order' } } },
      },
    },
  },
  ...Object.fromEntries(
    [
      ['400', 'Invalid input; details.fields names each field.'],
      ['401', 'Missing or wrong bearer token.'],
      ['404', 'No such order for this customer.'],
      ['409', 'The order is past the point where this can be done; error.message says why.'],
    ].map(([status, description]) => [
      status,
      {
        description,
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      },
    ]),
  ),
});

const writeOperation = (
  operationId: string,
  summary: string,
  description: string,
  body: z.ZodType,
) => ({
  post: {
    operationId,
    summary,
    description,
    parameters: [orderNumber],
    requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(body) } } },
    responses: answers('The order after the change.'),
  },
});

/**
 * The OpenAPI 3 document of the demo shop's order API, which admins import actions from. Public,
 * like any API's description: it names no customer and grants nothing.
 */
export function demoShopOpenApi(origin: string) {
  return {
    openapi: '3.0.3',
    info: {
      title: 'Parcelly orders (demo shop)',
      version: '1.0.0',
      description:
        'The order system of the demo shop that comes with Tandem’s demo content: look up an order, cancel it or change its delivery address while it is processing, and start a return within 30 days of delivery.',
    },
    servers: [{ url: `${origin}/api/demo-shop` }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'The shop’s token, made when the demo content was installed.',
        },
      },
      schemas: {
        Order: orderSchema,
        Error: {
          type: 'object',
          properties: {
            error: {
              type: 'object',
              properties: { code: { type: 'string' }, message: { type: 'string' } },
            },
          },
        },
      },
    },
    paths: {
      '/orders/{number}': {
        get: {
          operationId: 'getOrder',
          summary: 'Get an order',
          description: 'The status of one of the customer’s orders, with its tracking details.',
          parameters: [
            orderNumber,
            {
              name: 'customer',
              in: 'query',
              required: true,
              description: orderQuery.shape.customer.description,
              schema: jsonSchema(orderQuery.shape.customer),
            },
          ],
          responses: answers('The order.'),
        },
      },
      '/orders/{number}/cancel': writeOperation(
        'cancelOrder',
        'Cancel an order',
        'Cancels an order that is still processing (not yet packed); the full amount is refunded.',
        cancelBody,
      ),
      '/orders/{number}/delivery-address': writeOperation(
        'changeDeliveryAddress',
        'Change the delivery address',
        'Sends an order that is still processing (not yet packed) to another address.',
        addressBody,
      ),
      '/orders/{number}/returns': writeOperation(
        'startReturn',
        'Start a return',
        'Starts the return of a delivered order within 30 days of delivery; answers the return number and the label’s link.',
        returnBody,
      ),
    },
  };
}
