'use client';

import { useEffect } from 'react';
import { readStored, writeStored } from './safe-storage';
import { useWidgetStore, type WidgetLanguage } from './widget-store';

/** Everything the widget says itself, in English and Simplified Chinese. */
export const WIDGET_STRINGS = {
  en: {
    chatWithUs: 'Chat with us',
    closeChat: 'Close chat',
    tagline: 'Answers from our help center · a person when you need one',
    conversation: 'Conversation',
    you: 'You',
    message: 'Message',
    send: 'Send',
    placeholder: 'Ask a question…',
    attachFile: 'Attach a file',
    filesToSend: 'Files to send',
    attachedFiles: 'Attached files',
    sources: 'Sources',
    said: 'said',
    helpful: 'Helpful',
    notHelpful: 'Not helpful',
    talkToPerson: 'Talk to a person',
    askForPerson: 'I would like to talk to a person, please.',
    isTyping: (name: string) => `${name} is typing`,
    sendFailed: 'Sorry, the message could not be sent. Please check your connection and try again.',
    rateConversation: 'Rate this conversation',
    howDidWeDo: 'How did we do?',
    outOfFive: (n: number) => `${n} out of 5`,
    commentLabel: 'Comment (optional)',
    commentPlaceholder: 'Anything to add? (optional)',
    sendRating: 'Send rating',
    ratingFailed: 'The rating could not be sent. Please try again.',
    thanksForFeedback: 'Thanks for your feedback!',
    language: 'Language',
    switchTo: '中文',
    switchToLang: 'zh',
    consentHeading: 'Before we chat',
    accept: 'Accept',
    decline: 'Decline',
    consentFailed: 'Your answer could not be saved. Please try again.',
    aiOff: 'You declined AI processing: only our team reads your messages.',
    changeChoice: 'Change my choice',
    leaveMessageHeading: 'Leave a message for our team',
    leaveMessageHint: 'We’ll open a ticket and reply to you by email.',
    yourEmail: 'Your email',
    yourMessage: 'Your message',
    sendToTeam: 'Send to the team',
    removeFile: (name: string) => `Remove ${name}`,
    attachLimits: (max: string) => `PDF, Word, text, HTML or images, up to ${max} each`,
    fileTooLarge: (name: string, size: string, max: string) =>
      `${name} is ${size}; a file can be at most ${max}.`,
    fileNotAccepted: (name: string) =>
      `${name} cannot be attached. Attach PDF, Word (.docx), text, Markdown, HTML, PNG, JPEG, GIF or WebP.`,
    tooManyFiles: (max: number) => `At most ${max} files can be sent with one message.`,
    notSent: 'Not sent',
    retry: 'Retry',
    confirmRequest: 'Please confirm',
    confirm: 'Confirm',
    cancelRequest: 'Cancel',
    callStatus: {
      awaiting_confirmation: 'Waiting for your confirmation',
      awaiting_approval: 'Confirmed; waiting for our team’s approval',
      ready: 'Confirmed',
      running: 'In progress',
      completed: 'Done',
      failed: 'Did not go through',
      cancelled: 'Cancelled',
      rejected: 'Not approved by our team',
      expired: 'Expired; ask again if you still want it',
    } as Record<string, string>,
    callFailed: 'Your answer could not be sent. Please try again.',
    yourConversations: 'Your conversations',
    newConversation: 'New conversation',
    backToChat: 'Back to the chat',
    noConversations: 'No conversations yet.',
    conversationsFailed: 'Your conversations could not be loaded. Please try again.',
    loading: 'Loading…',
    noQuestion: 'No message',
    conversationStatus: {
      open: 'Open',
      waiting: 'Waiting for our team',
      resolved: 'Resolved',
      closed: 'Closed',
    } as Record<string, string>,
    current: 'Current',
    startedOn: (date: string) => `Started ${date}`,
    continueConversation: 'Continue this conversation',
    resolvedReadOnly:
      'This conversation is resolved. To ask something new, start a new conversation.',
    youRated: (n: number) => `You rated this conversation ${n} out of 5.`,
    stillThere:
      'Are you still there? Reply here if there is anything else; otherwise this conversation will be closed.',
  },
  zh: {
    chatWithUs: '联系我们',
    closeChat: '关闭对话',
    tagline: '答案来自帮助中心 · 需要时可转人工',
    conversation: '对话',
    you: '您',
    message: '消息',
    send: '发送',
    placeholder: '请输入您的问题…',
    attachFile: '添加附件',
    filesToSend: '待发送的文件',
    attachedFiles: '附件',
    sources: '参考文章',
    said: '说',
    helpful: '有帮助',
    notHelpful: '没有帮助',
    talkToPerson: '转人工客服',
    askForPerson: '我想和客服人员沟通。',
    isTyping: (name: string) => `${name} 正在输入`,
    sendFailed: '抱歉，消息发送失败。请检查网络连接后重试。',
    rateConversation: '为本次对话评分',
    howDidWeDo: '您对本次服务满意吗？',
    outOfFive: (n: number) => `${n} 分（满分 5 分）`,
    commentLabel: '留言（可选）',
    commentPlaceholder: '还有什么想告诉我们的吗？（可选）',
    sendRating: '提交评分',
    ratingFailed: '评分提交失败，请重试。',
    thanksForFeedback: '感谢您的反馈！',
    language: '语言',
    switchTo: 'English',
    switchToLang: 'en',
    consentHeading: '开始对话之前',
    accept: '同意',
    decline: '拒绝',
    consentFailed: '您的选择未能保存，请重试。',
    aiOff: '您已拒绝 AI 处理：只有我们的团队会阅读您的消息。',
    changeChoice: '更改我的选择',
    leaveMessageHeading: '给我们的团队留言',
    leaveMessageHint: '我们会创建工单，并通过邮件回复您。',
    yourEmail: '您的邮箱',
    yourMessage: '您的留言',
    sendToTeam: '发送给团队',
    removeFile: (name: string) => `移除 ${name}`,
    attachLimits: (max: string) => `可发送 PDF、Word、文本、HTML 或图片，每个文件不超过 ${max}`,
    fileTooLarge: (name: string, size: string, max: string) =>
      `${name} 大小为 ${size}，每个文件不能超过 ${max}。`,
    fileNotAccepted: (name: string) =>
      `无法添加 ${name}。可添加 PDF、Word (.docx)、文本、Markdown、HTML、PNG、JPEG、GIF 或 WebP 文件。`,
    tooManyFiles: (max: number) => `每条消息最多可发送 ${max} 个文件。`,
    notSent: '未发送',
    retry: '重试',
    confirmRequest: '请确认',
    confirm: '确认',
    cancelRequest: '取消',
    callStatus: {
      awaiting_confirmation: '等待您确认',
      awaiting_approval: '已确认，等待我们团队批准',
      ready: '已确认',
      running: '处理中',
      completed: '已完成',
      failed: '未能完成',
      cancelled: '已取消',
      rejected: '我们的团队未批准',
      expired: '已过期；如仍需要请重新提出',
    } as Record<string, string>,
    callFailed: '您的选择未能发送，请重试。',
    yourConversations: '您的对话',
    newConversation: '新对话',
    backToChat: '返回对话',
    noConversations: '还没有对话。',
    conversationsFailed: '无法加载您的对话，请重试。',
    loading: '加载中…',
    noQuestion: '无消息',
    conversationStatus: {
      open: '进行中',
      waiting: '等待我们的团队',
      resolved: '已解决',
      closed: '已关闭',
    } as Record<string, string>,
    current: '当前',
    startedOn: (date: string) => `开始于 ${date}`,
    continueConversation: '继续此对话',
    resolvedReadOnly: '此对话已解决。如有新问题，请开始新对话。',
    youRated: (n: number) => `您为此对话评了 ${n} 分（满分 5 分）。`,
    stillThere: '您还在吗？如果还有其他问题，请在这里回复；否则此对话将被关闭。',
  },
} satisfies Record<WidgetLanguage, Record<string, unknown>>;

export type WidgetStrings = (typeof WIDGET_STRINGS)['en'];

const STORAGE_KEY = 'tandem:language';

/**
 * The widget's strings in the visitor's language: their earlier choice, else the browser's
 * (Chinese for any zh locale), else English. The server renders English; the choice applies
 * once the page is live.
 */
export function useWidgetStrings(): {
  t: WidgetStrings;
  language: WidgetLanguage;
  toggle: () => void;
} {
  const language = useWidgetStore((s) => s.language);
  const setLanguage = useWidgetStore((s) => s.setLanguage);
  useEffect(() => {
    const saved = readStored(STORAGE_KEY);
    if (saved === 'en' || saved === 'zh') setLanguage(saved);
    else if (navigator.languages.some((l) => l.toLowerCase().startsWith('zh'))) setLanguage('zh');
  }, [setLanguage]);
  return {
    t: WIDGET_STRINGS[language] as WidgetStrings,
    language,
    toggle: () => {
      const next = language === 'en' ? 'zh' : 'en';
      writeStored(STORAGE_KEY, next);
      setLanguage(next);
    },
  };
}

/** The visitor's language from elsewhere (the embedding page kept it), kept as their choice. */
export function rememberLanguage(language: WidgetLanguage): void {
  writeStored(STORAGE_KEY, language);
  useWidgetStore.getState().setLanguage(language);
}
