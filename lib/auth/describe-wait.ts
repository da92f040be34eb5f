/** "1 minute", "15 minutes": how long to wait, in the whole minutes a person thinks in. */
export function describeWait(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}
