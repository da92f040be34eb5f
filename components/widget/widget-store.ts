'use client';

import { create } from 'zustand';

export type WidgetLanguage = 'en' | 'zh';

interface WidgetState {
  open: boolean;
  language: WidgetLanguage;
  setLanguage: (language: WidgetLanguage) => void;
  conversationId: string | null;
  setOpen: (open: boolean) => void;
  setConversationId: (conversationId: string | null) => void;
  /**
   * The session token the server handed over (`x-tandem-session`), kept in memory only: in an
   * iframe on another site the cookie may not be sent, so requests carry it in a header instead.
   */
  session: string | null;
  setSession: (session: string | null) => void;
}

export const useWidgetStore = create<WidgetState>((set) => ({
  open: false,
  language: 'en',
  setLanguage: (language) => set({ language }),
  conversationId: null,
  setOpen: (open) => set({ open }),
  setConversationId: (conversationId) => set({ conversationId }),
  session: null,
  setSession: (session) => set({ session }),
}));
