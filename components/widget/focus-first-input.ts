/**
 * Where the customer starts when the chat opens: the message box, or while it is not there (the
 * consent question, the leave-a-message form) the first visible field or button in `root`.
 */
export function focusFirstInput(root: ParentNode | null): void {
  if (!root) return;
  const visible = (el: HTMLElement) => el.getClientRects().length > 0;
  const message = root.querySelector<HTMLElement>('#tandem-message');
  const target =
    message && visible(message)
      ? message
      : [
          ...root.querySelectorAll<HTMLElement>(
            'textarea, input:not([type="file"]), button:not([disabled])',
          ),
        ].find(visible);
  target?.focus();
}
