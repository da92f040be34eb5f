'use client';

import { useState } from 'react';
import { adminRequest } from './api';

type Receipt = { receipt_id: string; erased_at: string; counts: Record<string, number> };

/** Erases the customer after a confirmation, and shows the receipt. */
export function EraseCustomerButton({ customerId }: { customerId: string }) {
  const [confirming, setConfirming] = useState(false);
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function erase() {
    setError(null);
    try {
      setReceipt(await adminRequest<Receipt>(`/api/admin/customers/${customerId}/erase`, 'POST'));
    } catch (e) {
      setError((e as Error).message);
    }
  }

  if (receipt) {
    return (
      <div role="status" className="rounded bg-green-50 px-3 py-2 text-sm text-green-900">
        Erased at {new Date(receipt.erased_at).toLocaleString()} (receipt {receipt.receipt_id}):{' '}
        {Object.entries(receipt.counts)
          .filter(([, n]) => n > 0)
          .map(([what, n]) => `${n} ${what.replaceAll('_', ' ')}`)
          .join(', ') || 'nothing else was held'}
        .
      </div>
    );
  }
  return (
    <span className="flex items-center gap-2">
      {confirming ? (
        <>
          <span>Erase this customer everywhere? This cannot be undone.</span>
          <button
            type="button"
            onClick={() => void erase()}
            className="rounded bg-red-600 px-2 py-0.5 text-white"
          >
            Erase permanently
          </button>
          <button type="button" onClick={() => setConfirming(false)} className="underline">
            Cancel
          </button>
        </>
      ) : (
        <button
          type="button"
          onClick={() => setConfirming(true)}
          className="text-red-700 underline"
        >
          Erase customer
        </button>
      )}
      {error && (
        <span role="alert" className="text-red-700">
          {error}
        </span>
      )}
    </span>
  );
}
