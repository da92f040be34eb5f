// What the console's queue can be asked for; shared by the server and the queue panel, so it
// imports nothing.

export const QUEUE_FILTERS = ['open', 'unassigned', 'mine', 'ai', 'resolved'] as const;
export type QueueFilter = (typeof QUEUE_FILTERS)[number];

/** The longest search an agent can type into the queue. */
export const MAX_QUEUE_SEARCH = 200;
