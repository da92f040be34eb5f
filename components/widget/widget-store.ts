'use client';

import { create } from 'zustand';

export type WidgetLanguage = 'en' | 'zh';

interface WidgetState {
  open: boolean;
  language: WidgetLanguage;
  setLanguage: (language: WidgetLanguage) => void;
  conversationId: string | null;
  setOpen: (open: boolean) => void;
  setConversationId: (conversationId: string) => void;
}

export const useWidgetStore = create<WidgetState>((set) => ({
  open: false,
  language: 'en',
  setLanguage: (language) => set({ language }),
  conversationId: null,
  setOpen: (open) => set({ open }),
  setConversationId: (conversationId) => set({ conversationId }),
}));
