export default function ConsoleHome() {
  return (
    <div className="flex h-full items-center justify-center p-8 text-center text-sm text-ink-500">
      <p>Pick a conversation from the queue. New escalations appear there as they happen.</p>
    </div>
  );
}
