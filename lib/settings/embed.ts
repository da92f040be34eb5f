import type { WidgetSettings } from './schema';

/** The two ways to put the chat on a site, for a Tandem served at `origin`. */
export function embedSnippets(origin: string, widget: Pick<WidgetSettings, 'name'>) {
  const title = escapeAttribute(widget.name);
  return {
    script: `<script src="${origin}/embed.js" async></script>`,
    iframe: `<iframe src="${origin}/widget" title="${title}" style="width:400px;height:640px;max-width:100%;border:1px solid #e5e7eb;border-radius:16px"></iframe>`,
  };
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/**
 * The loader a site includes with one script tag: a round chat button in the corner that opens
 * the widget in an iframe. It finds Tandem's address from its own `src`, so the same file works
 * behind any host name.
 */
export function buildEmbedScript(widget: Pick<WidgetSettings, 'name' | 'colour'>): string {
  // Escaping "<" keeps the admin-chosen name from closing a script element if inlined.
  const settings = JSON.stringify({ name: widget.name, colour: widget.colour }).replace(
    /</g,
    '\\u003c',
  );
  return `(function () {
  'use strict';
  if (window.__tandemChat) return;
  window.__tandemChat = true;
  var settings = ${settings};
  var script = document.currentScript;
  var origin = script && script.src ? new URL(script.src).origin : window.location.origin;
  var chatIcon = '<svg viewBox="0 0 24 24" width="24" height="24" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true"><path d="M4 5h16v11H8l-4 4V5z" stroke-linejoin="round"/></svg>';
  var closeIcon = '<svg viewBox="0 0 24 24" width="24" height="24" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true"><path d="M6 6l12 12M18 6L6 18" stroke-linecap="round"/></svg>';
  var frame = null;
  var open = false;

  var button = document.createElement('button');
  button.type = 'button';
  button.setAttribute('aria-label', 'Chat with us');
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-controls', 'tandem-chat-frame');
  button.innerHTML = chatIcon;
  button.style.cssText = 'position:fixed;right:20px;bottom:20px;z-index:2147483000;width:56px;height:56px;border:0;border-radius:50%;display:flex;align-items:center;justify-content:center;cursor:pointer;color:#fff;box-shadow:0 10px 15px -3px rgba(0,0,0,.2);background:' + settings.colour;

  function toggle() {
    open = !open;
    if (open && !frame) {
      frame = document.createElement('iframe');
      frame.id = 'tandem-chat-frame';
      frame.title = 'Chat with ' + settings.name;
      frame.src = origin + '/widget';
      frame.style.cssText = 'position:fixed;right:20px;bottom:88px;z-index:2147483000;width:min(400px,calc(100vw - 40px));height:min(640px,calc(100vh - 128px));border:1px solid #e5e7eb;border-radius:16px;box-shadow:0 25px 50px -12px rgba(0,0,0,.25);background:#fff';
      document.body.appendChild(frame);
    }
    if (frame) frame.style.display = open ? 'block' : 'none';
    button.setAttribute('aria-expanded', String(open));
    button.setAttribute('aria-label', open ? 'Close chat' : 'Chat with us');
    button.innerHTML = open ? closeIcon : chatIcon;
  }
  button.addEventListener('click', toggle);

  function mount() { document.body.appendChild(button); }
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);
})();
`;
}
