import type { WidgetSettings } from '@/lib/settings/schema';

/**
 * The loader a site includes with one script tag: a round chat button in the corner that opens
 * the widget (/widget?embed=loader) in an iframe. It finds Tandem's address from its own `src`,
 * so the same file works behind any host name.
 *
 * - It first asks the desk, with a CORS request, whether this page's origin may embed the chat;
 *   if not (or the desk cannot be reached) the button stays hidden and a console warning says
 *   which origin to allow and where.
 * - A frame on another site may have no storage and no cookie of its own (browsers block
 *   third-party storage), so the loader keeps the chat's session token, conversation id and
 *   language in the page's own storage, gives them to the frame when it says "ready", and stores
 *   what the frame reports back. Messages go only to and from the desk's origin and that frame.
 * - On a narrow screen the open chat takes the whole screen; its own close button hands back.
 *
 * Plain ES5 in a string: it runs on the customer's site, untranspiled, in whatever browser.
 */
export function buildLoaderScript(widget: Pick<WidgetSettings, 'name' | 'colour'>): string {
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
  var storageKey = 'tandem-chat:' + origin;
  var chatIcon = '<svg viewBox="0 0 24 24" width="24" height="24" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true"><path d="M4 5h16v11H8l-4 4V5z" stroke-linejoin="round"/></svg>';
  var closeIcon = '<svg viewBox="0 0 24 24" width="24" height="24" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true"><path d="M6 6l12 12M18 6L6 18" stroke-linecap="round"/></svg>';
  var panelStyle = 'right:20px;bottom:88px;width:min(400px,calc(100vw - 40px));height:min(640px,calc(100vh - 128px));border:1px solid #e5e7eb;border-radius:16px;box-shadow:0 25px 50px -12px rgba(0,0,0,.25)';
  var fullStyle = 'top:0;left:0;width:100%;height:100%;border:0;border-radius:0';
  var narrow = window.matchMedia ? window.matchMedia('(max-width: 639.98px)') : null;
  var frame = null;
  var open = false;
  var remembered = {};

  function loadState() {
    try {
      var saved = JSON.parse(window.localStorage.getItem(storageKey) || '{}');
      if (saved && typeof saved === 'object') return saved;
    } catch (e) {
      // No storage on this page either: the state lives as long as the page.
    }
    return remembered;
  }

  function saveState(state) {
    var clean = {};
    ['session', 'conversationId', 'language'].forEach(function (key) {
      if (typeof state[key] === 'string' && state[key].length <= 512) clean[key] = state[key];
    });
    remembered = clean;
    try {
      window.localStorage.setItem(storageKey, JSON.stringify(clean));
    } catch (e) {
      // Kept in memory.
    }
  }

  var button = document.createElement('button');
  button.type = 'button';
  button.setAttribute('aria-label', 'Chat with us');
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-controls', 'tandem-chat-frame');
  button.innerHTML = chatIcon;
  button.style.cssText = 'position:fixed;right:20px;bottom:20px;z-index:2147483000;width:56px;height:56px;border:0;border-radius:50%;display:flex;align-items:center;justify-content:center;cursor:pointer;color:#fff;box-shadow:0 10px 15px -3px rgba(0,0,0,.2);background:' + settings.colour;

  function layout() {
    var full = !!(narrow && narrow.matches);
    if (frame) {
      frame.style.cssText = 'position:fixed;z-index:2147483001;background:#fff;' + (full ? fullStyle : panelStyle) + ';display:' + (open ? 'block' : 'none');
    }
    button.style.display = open && full ? 'none' : 'flex';
  }

  function setOpen(next) {
    open = next;
    if (open && !frame) {
      frame = document.createElement('iframe');
      frame.id = 'tandem-chat-frame';
      frame.title = 'Chat with ' + settings.name;
      frame.src = origin + '/widget?embed=loader';
      frame.addEventListener('load', function () { if (open) frame.focus(); });
      document.body.appendChild(frame);
    }
    layout();
    button.setAttribute('aria-expanded', String(open));
    button.setAttribute('aria-label', open ? 'Close chat' : 'Chat with us');
    button.innerHTML = open ? closeIcon : chatIcon;
    if (!open) button.focus();
    else frame.focus();
  }
  button.addEventListener('click', function () { setOpen(!open); });
  if (narrow) {
    if (narrow.addEventListener) narrow.addEventListener('change', layout);
    else if (narrow.addListener) narrow.addListener(layout);
  }

  window.addEventListener('message', function (event) {
    if (!frame || event.source !== frame.contentWindow || event.origin !== origin) return;
    var data = event.data;
    if (!data || typeof data !== 'object') return;
    if (data.type === 'tandem:ready') {
      frame.contentWindow.postMessage({ type: 'tandem:restore', state: loadState() }, origin);
    } else if (data.type === 'tandem:state' && data.state && typeof data.state === 'object') {
      saveState(data.state);
    } else if (data.type === 'tandem:close') {
      setOpen(false);
    }
  });

  function mount() {
    document.body.appendChild(button);
    layout();
  }

  function hide() {
    console.warn('Tandem chat: ' + window.location.origin + ' is not allowed to embed the chat from ' + origin + ' (or ' + origin + ' cannot be reached), so the chat button stays hidden. An admin can allow this origin under Settings \\u2192 Allowed widget origins (' + origin + '/admin/settings).');
  }

  function start() {
    if (window.location.origin === origin) return mount();
    // The desk answers with CORS headers only for the origins an admin allows.
    fetch(origin + '/embed.js', { method: 'HEAD', mode: 'cors', credentials: 'omit', cache: 'no-store' })
      .then(function (response) { if (response.ok) mount(); else hide(); }, hide);
  }
  if (document.body) start();
  else document.addEventListener('DOMContentLoaded', start);
})();
`;
}
