'use client';

import * as Dialog from '@radix-ui/react-dialog';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { adminRequest } from '../api';
import { buttonClass, secondaryButtonClass, sectionClass, useAction } from '../use-action';

interface Removal {
  articles: number;
  customers: number;
  conversations: number;
  actions: number;
  procedures: number;
  orders: number;
}

/** "Remove the demo content", for a desk that started as the demo; asks before it deletes. */
export function RemoveDemo() {
  const [open, setOpen] = useState(false);
  const { run, busy, outcome } = useAction();
  const router = useRouter();

  async function remove() {
    const result = await run(
      () => adminRequest<{ removed: Removal }>('/api/admin/demo-content', 'DELETE'),
      ({ removed: r }) =>
        `Removed ${r.articles} demo articles, ${r.customers} demo customers with ${r.conversations} conversations, ${r.actions} actions, ${r.procedures} procedures and ${r.orders} shop orders. The demo shop is off.`,
    );
    setOpen(false);
    if (result) router.refresh();
  }

  return (
    <section aria-labelledby="demo-heading" className={sectionClass}>
      <h2 id="demo-heading" className="font-medium">
        Demo content
      </h2>
      {outcome}
      <p className="text-sm text-ink-500">
        This desk started as the demo: its help articles, customers, shop, actions and procedures
        are still here. Remove them before you add your own.
      </p>
      <Dialog.Root open={open} onOpenChange={setOpen}>
        <Dialog.Trigger asChild>
          <button type="button" className={buttonClass}>
            Remove the demo content
          </button>
        </Dialog.Trigger>
        <Dialog.Portal>
          <Dialog.Overlay className="fixed inset-0 bg-black/30" />
          <Dialog.Content className="fixed top-1/2 left-1/2 w-[28rem] max-w-[90vw] -translate-x-1/2 -translate-y-1/2 space-y-3 rounded-md bg-white p-5 shadow-lg">
            <Dialog.Title className="font-medium">Remove the demo content?</Dialog.Title>
            <Dialog.Description className="text-sm text-ink-500">
              The demo articles, the demo customers and all their conversations, the demo actions,
              procedures and shop orders are deleted, and the demo shop is turned off for this desk.
              This cannot be undone.
            </Dialog.Description>
            <div className="flex justify-end gap-2">
              <Dialog.Close asChild>
                <button type="button" className={secondaryButtonClass}>
                  Cancel
                </button>
              </Dialog.Close>
              <button type="button" onClick={remove} disabled={busy} className={buttonClass}>
                Remove
              </button>
            </div>
          </Dialog.Content>
        </Dialog.Portal>
      </Dialog.Root>
    </section>
  );
}
