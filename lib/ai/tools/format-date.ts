/** A date as tool replies say it: "15 Dec 2026", or "2026年12月15日" in Chinese. */
export const formatDate = (iso: unknown, language = 'en') =>
  typeof iso === 'string'
    ? new Date(iso).toLocaleDateString(language === 'zh' ? 'zh-CN' : 'en-SG', {
        day: 'numeric',
        month: language === 'zh' ? 'long' : 'short',
        year: 'numeric',
      })
    : language === 'zh'
      ? '未知'
      : 'unknown';
