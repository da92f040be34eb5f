/** A date as tool replies say it: "15 Dec 2026". */
export const formatDate = (iso: unknown) =>
  typeof iso === 'string'
    ? new Date(iso).toLocaleDateString('en-SG', { day: 'numeric', month: 'short', year: 'numeric' })
    : 'unknown';
