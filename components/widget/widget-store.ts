'use client';

import { create } from 'zustand';

interface WidgetState {
  open: boolean;
  conversationId: string | null;
  setOpen: (open: boolean) => void;
  setConversationId: (conversationId: string) => void;
}

export const useWidgetStore = create<WidgetState>((set) => ({
  open: false,
  conversationId: null,
  setOpen: (open) => set({ open }),
  setConversationId: (conversationId) => set({ conversationId }),
}));
